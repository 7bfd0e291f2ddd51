"use client";
import { ClearFiltersButton, NoMatches } from "@/components/data-table/no-matches";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Globe } from "lucide-react";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { DataTable, TableSkeleton } from "@/components/data-table/data-table";
import { Pagination } from "@/components/data-table/pagination";
import { SearchInput } from "@/components/data-table/search-input";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/input";
import { SourceText } from "@/components/ui/source-text";
import { businessImpactLabels, ImpactBadge, RiskScore, sourceLabel } from "@/components/views/badges";
import { LastSync } from "@/components/views/last-sync";
import { LabelList } from "@/components/views/label-list";
import { OverviewCharts } from "@/components/views/overview-charts";
import { businessImpacts } from "@/db/schema/vocabulary";
import { formatNumber } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc-types";
import { fqdnListQuery, fqdnSearchParams } from "./search-params";

type FqdnRow = RouterOutputs["assets"]["listFqdns"]["rows"][number];

const columns: ColumnDef<FqdnRow, unknown>[] = [
  {
    id: "name",
    header: "Domain",
    meta: { sortKey: "name", firstDir: "asc", title: true },
    cell: ({ row }) => (
      <span className="flex min-w-0 items-center gap-2">
        <Link href={`/assets/fqdns/${row.original.id}`} className="truncate font-medium text-slate-900 hover:underline" title={row.original.name}>
          <SourceText>{row.original.name}</SourceText>
        </Link>
        {!row.original.active ? <Badge>Gone</Badge> : null}
      </span>
    ),
  },
  { id: "risk", header: "Risk", meta: { sortKey: "risk", className: "w-24" }, cell: ({ row }) => <RiskScore score={row.original.riskScore} worst={row.original.worstOpenSeverity} /> },
  {
    id: "open",
    header: "Open issues",
    meta: { sortKey: "open", className: "w-28 text-right" },
    cell: ({ row }) => <span className="tabular-nums">{formatNumber(row.original.openIssueCount)}</span>,
  },
  { id: "impact", header: "Impact", meta: { sortKey: "impact", className: "w-24" }, cell: ({ row }) => <ImpactBadge impact={row.original.businessImpact} /> },
  {
    id: "labels",
    // Salt's labels as they came ("app:checkout", "env:prod"); the applications they name are the filter above.
    header: "Labels",
    meta: { className: "w-40", secondary: true },
    cell: ({ row }) => <LabelList labels={row.original.tags} />,
  },
  { id: "source", header: "Source", meta: { className: "w-32", secondary: true }, cell: ({ row }) => <span className="whitespace-nowrap text-slate-600">{sourceLabel(row.original.source)}</span> },
  {
    id: "synced",
    header: "Last synced",
    meta: { sortKey: "synced", className: "w-32", secondary: true },
    cell: ({ row }) => <LastSync at={row.original.lastSyncedAt} runState={row.original.lastRunState} runMessage={row.original.lastRunMessage} sourceRemoved={row.original.sourceRemoved} />,
  },
];

export function FqdnsClient() {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(fqdnSearchParams, { history: "push" });
  const list = useQuery({ ...trpc.assets.listFqdns.queryOptions(fqdnListQuery(params)), placeholderData: keepPreviousData });
  const facets = useQuery(trpc.assets.fqdnFacets.queryOptions());
  const filtered = params.q !== "" || params.impact.length > 0 || params.app !== "" || params.tag !== "";
  const clearFilters = () => setParams({ q: null, impact: null, app: null, tag: null, page: null });

  if (list.data && list.data.total === 0 && !filtered) {
    return (
      <EmptyState
        icon={Globe}
        title="No domains yet"
        description="Connect Salt Security to discover your APIs. Each domain you associate shows up here with its risk score."
        action={
          <Button asChild>
            <Link href="/integrations">Connect Salt Security</Link>
          </Button>
        }
      />
    );
  }

  return (
    <>
      <OverviewCharts />
      <div className="mb-4 flex flex-wrap items-center gap-3" role="search" aria-label="Filter domains">
        <SearchInput value={params.q} onChange={(q) => setParams({ q: q || null, page: null }, { history: "replace" })} label="Search domains" placeholder="Search domains…" />
        <fieldset className="flex items-center gap-1">
          <legend className="sr-only">Business impact</legend>
          <span className="mr-1 text-sm text-slate-600" aria-hidden>
            Impact
          </span>
          {[...businessImpacts].reverse().map((impact) => {
            const on = params.impact.includes(impact);
            return (
              <button
                key={impact}
                type="button"
                aria-pressed={on}
                aria-label={`Business impact ${businessImpactLabels[impact]}`}
                onClick={() => setParams({ impact: on ? params.impact.filter((i) => i !== impact) : [...params.impact, impact], page: null })}
                className={cn(
                  "h-8 rounded-md border px-3 text-sm",
                  on ? "border-brand-600 bg-brand-50 font-medium text-brand-700" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
                )}
              >
                {businessImpactLabels[impact]}
              </button>
            );
          })}
        </fieldset>
        <Select aria-label="Application" className="w-44" value={params.app} onChange={(e) => setParams({ app: e.target.value || null, page: null })}>
          <option value="">All applications</option>
          {facets.data?.applications.map((app) => (
            <option key={app.id} value={app.id}>
              {app.name}
            </option>
          ))}
        </Select>
        <Select aria-label="Tag" className="w-36" value={params.tag} onChange={(e) => setParams({ tag: e.target.value || null, page: null })}>
          <option value="">All tags</option>
          {facets.data?.tags.map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </Select>
        <ClearFiltersButton visible={filtered} onClear={clearFilters} />
      </div>
      {list.data ? (
        <>
          <DataTable
            label="Domains"
            columns={columns}
            rows={list.data.rows}
            rowHref={(row) => `/assets/fqdns/${row.id}`}
            sort={{ sort: params.sort, dir: params.dir }}
            onSortChange={({ sort, dir }) => setParams({ sort: sort as typeof params.sort, dir, page: null })}
            isFetching={list.isPlaceholderData}
            empty={<NoMatches noun="domains" hint={"Try another search or clear the filters."} onClear={clearFilters} />}
          />
          <Pagination {...list.data} noun="domains" onPageChange={(page) => setParams({ page })} />
        </>
      ) : (
        <TableSkeleton columns={7} />
      )}
    </>
  );
}
