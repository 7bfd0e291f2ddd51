"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { TableSkeleton } from "@/components/data-table/data-table";
import { Pagination } from "@/components/data-table/pagination";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { SourceText } from "@/components/ui/source-text";
import { Time } from "@/components/ui/time";
import { AssetCards, AssetHeaderSkeleton, Breadcrumb, Detail } from "@/components/views/asset-header";
import { ImpactBadge, MethodBadge, sourceLabel } from "@/components/views/badges";
import { IssuesTable } from "@/components/views/issues-table";
import { MissingState } from "@/components/views/missing-state";
import { RiskBreakdown } from "@/components/views/risk-breakdown";
import { formatNumber } from "@/lib/format";
import { apiIssuesQuery, apiPageSearchParams } from "./search-params";

export function ApiClient({ id }: { id: string }) {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(apiPageSearchParams, { history: "push" });
  const detail = useQuery(trpc.assets.detail.queryOptions({ id }));
  const issues = useQuery({ ...trpc.issues.list.queryOptions(apiIssuesQuery(id, params)), placeholderData: keepPreviousData });
  const api = detail.data;
  if (!api) {
    if (detail.isError) {
      return <MissingState error={detail.error} noun="API" back={{ href: "/assets/apis", label: "Back to APIs" }} onRetry={() => void detail.refetch()} />;
    }
    return <AssetHeaderSkeleton />;
  }

  return (
    <>
      <Breadcrumb
        items={[
          { href: "/assets/fqdns", label: "FQDNs" },
          ...(api.parent ? [{ href: `/assets/fqdns/${api.parent.id}`, label: api.parent.name }] : []),
          { label: api.name },
        ]}
      />
      <div className="mb-6 flex min-w-0 items-center gap-3">
        <MethodBadge method={api.method} />
        <h1 className="min-w-0 truncate font-mono text-xl font-semibold text-slate-900" title={api.path ?? api.name}>
          <SourceText>{api.path ?? api.name}</SourceText>
        </h1>
        {!api.active ? <Badge>No longer reported by {sourceLabel(api.source)}</Badge> : null}
      </div>
      <AssetCards
        risk={<RiskBreakdown score={api.riskScore} inputs={api.riskInputs} />}
        details={
          <>
            <Detail term="FQDN">
              {api.parent ? (
                <Link href={`/assets/fqdns/${api.parent.id}`} className="text-brand-700 hover:underline">
                  <SourceText>{api.parent.name}</SourceText>
                </Link>
              ) : (
                "—"
              )}
            </Detail>
            <Detail term="Business impact">
              <span className="flex items-center gap-2">
                <ImpactBadge impact={api.parent?.businessImpact ?? api.businessImpact} />
                <span className="text-xs text-slate-600">set on the domain</span>
              </span>
            </Detail>
            <Detail term="Open issues">{formatNumber(api.openIssueCount)}</Detail>
            <Detail term="Labels">
              {api.labels.length ? (
                <span className="flex flex-wrap gap-1">
                  {api.labels.map((label) => (
                    <Badge key={label}>{label}</Badge>
                  ))}
                </span>
              ) : (
                <span className="text-slate-500">None</span>
              )}
            </Detail>
            <Detail term="Source">{sourceLabel(api.source)}</Detail>
            <Detail term="Last synced">
              <Time date={api.lastSyncedAt} />
            </Detail>
          </>
        }
      />
      <h2 className="mb-3 text-lg font-semibold text-slate-900">Issues</h2>
      {issues.data ? (
        <>
          <IssuesTable
            rows={issues.data.rows}
            withAsset={false}
            sort={{ sort: params.sort, dir: params.dir }}
            onSortChange={({ sort, dir }) => setParams({ sort: sort as typeof params.sort, dir, page: null })}
            isFetching={issues.isPlaceholderData}
            empty={<EmptyState className="border-0" icon={ShieldCheck} title="No issues on this endpoint" description="Salt Security has reported no posture gaps for it." />}
          />
          {issues.data.total > issues.data.pageSize ? <Pagination {...issues.data} noun="issues" onPageChange={(page) => setParams({ page })} /> : null}
        </>
      ) : (
        <TableSkeleton rows={4} columns={5} />
      )}
    </>
  );
}
