"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Boxes, ShieldCheck } from "lucide-react";
import { useQueryStates } from "nuqs";
import { TableSkeleton } from "@/components/data-table/data-table";
import { Pagination } from "@/components/data-table/pagination";
import { SearchInput } from "@/components/data-table/search-input";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { SourceText } from "@/components/ui/source-text";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Time } from "@/components/ui/time";
import { ApisTable } from "@/components/views/apis-table";
import { AssetCards, AssetHeaderSkeleton, Breadcrumb, BusinessImpactControl, Detail } from "@/components/views/asset-header";
import { sourceLabel } from "@/components/views/badges";
import { IssueFilters, issueFiltersChosen } from "@/components/views/issue-filters";
import { IssuesTable } from "@/components/views/issues-table";
import { clearedIssueFilters, issueStateOf } from "@/app/(app)/issues/search-params";
import { LastSync } from "@/components/views/last-sync";
import { MissingState } from "@/components/views/missing-state";
import { RiskBreakdown } from "@/components/views/risk-breakdown";
import { StatusChanges } from "@/components/views/status-changes";
import { formatNumber } from "@/lib/format";
import type { FqdnTab } from "@/lib/list-options";
import { fqdnApisQuery, fqdnIssuesQuery, fqdnPageSearchParams } from "./search-params";

const triggerLabels = { first_sync: "First sync", manual: "Manual sync", webhook: "Webhook", reconciliation: "Reconciliation" } as const;
const stateTones = { queued: "neutral", running: "brand", succeeded: "success", partial: "warning", failed: "danger" } as const;

export function FqdnClient({ id, canEditImpact }: { id: string; canEditImpact: boolean }) {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(fqdnPageSearchParams, { history: "push" });
  const detail = useQuery(trpc.assets.detail.queryOptions({ id }));
  const domain = detail.data;
  if (!domain) {
    if (detail.isError) {
      return <MissingState error={detail.error} noun="domain" back={{ href: "/assets/fqdns", label: "Back to FQDNs" }} onRetry={() => void detail.refetch()} />;
    }
    return <AssetHeaderSkeleton />;
  }

  return (
    <>
      <Breadcrumb items={[{ href: "/assets/fqdns", label: "FQDNs" }, { label: domain.name }]} />
      <div className="mb-6 flex items-center gap-3">
        <h1 className="min-w-0 truncate text-2xl font-semibold tracking-tight text-slate-900" title={domain.name}>
          <SourceText>{domain.name}</SourceText>
        </h1>
        {!domain.active ? <Badge>No longer reported by {sourceLabel(domain.source)}</Badge> : null}
      </div>
      <AssetCards
        risk={<RiskBreakdown score={domain.riskScore} inputs={domain.riskInputs} />}
        details={
          <>
            <Detail term="Business impact">
              <BusinessImpactControl assetId={domain.id} value={domain.businessImpact} canEdit={canEditImpact} />
            </Detail>
            <Detail term="Open issues">{formatNumber(domain.openIssueCount)}</Detail>
            <Detail term="Applications">
              {domain.applications.length ? (
                <span className="flex flex-wrap gap-1">
                  {domain.applications.map((app) => (
                    <Badge key={app.id} tone="brand">
                      {app.name}
                    </Badge>
                  ))}
                </span>
              ) : (
                <span className="text-slate-500">None</span>
              )}
            </Detail>
            <Detail term="Tags">
              {domain.tags.length ? (
                <span className="flex flex-wrap gap-1">
                  {domain.tags.map((tag) => (
                    <Badge key={tag}>{tag}</Badge>
                  ))}
                </span>
              ) : (
                <span className="text-slate-500">None</span>
              )}
            </Detail>
            <Detail term="Source">{sourceLabel(domain.source)}</Detail>
            <Detail term="Last synced">
              <LastSync at={domain.lastSyncedAt} runState={domain.lastRunState} runMessage={domain.lastRunMessage} sourceRemoved={domain.sourceRemoved} detailed />
            </Detail>
          </>
        }
      />
      <Tabs value={params.tab} onValueChange={(tab) => setParams({ ...clearedIssueFilters, tab: tab as FqdnTab, sort: null, dir: null, page: null })}>
        <TabsList aria-label="Domain sections">
          <TabsTrigger value="apis">APIs</TabsTrigger>
          <TabsTrigger value="issues">Issues</TabsTrigger>
          <TabsTrigger value="activity">Activity</TabsTrigger>
        </TabsList>
        <TabsContent value="apis">
          <DomainApis id={id} />
        </TabsContent>
        <TabsContent value="issues">
          <DomainIssues id={id} />
        </TabsContent>
        <TabsContent value="activity">
          <DomainActivity id={id} />
        </TabsContent>
      </Tabs>
    </>
  );
}

function DomainApis({ id }: { id: string }) {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(fqdnPageSearchParams, { history: "push" });
  const input = fqdnApisQuery(id, params);
  const list = useQuery({ ...trpc.assets.listApis.queryOptions(input), placeholderData: keepPreviousData });
  return (
    <>
      <div className="mb-3">
        <SearchInput value={params.q} onChange={(q) => setParams({ q: q || null, page: null }, { history: "replace" })} label="Search this domain's APIs" placeholder="Search by method or path…" />
      </div>
      {list.data ? (
        <>
          <ApisTable
            rows={list.data.rows}
            withFqdn={false}
            sort={{ sort: input.sort ?? "risk", dir: input.dir ?? "desc" }}
            onSortChange={({ sort, dir }) => setParams({ sort, dir, page: null })}
            isFetching={list.isPlaceholderData}
            empty={
              <EmptyState
                className="border-0"
                icon={Boxes}
                title={params.q ? "No APIs match this search" : "No APIs discovered on this domain yet"}
                description={params.q ? "Try a path segment such as “users” or a method such as “post”." : "The next Salt Security sync imports this domain's endpoints."}
              />
            }
          />
          <Pagination {...list.data} noun="APIs" onPageChange={(page) => setParams({ page })} />
        </>
      ) : (
        <TableSkeleton columns={4} />
      )}
    </>
  );
}

const stateWords = { open: "open ", closed: "closed ", all: "" } as const;

function DomainIssues({ id }: { id: string }) {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(fqdnPageSearchParams, { history: "push" });
  const input = fqdnIssuesQuery(id, params);
  const list = useQuery({ ...trpc.issues.list.queryOptions(input), placeholderData: keepPreviousData });
  const filtered = issueFiltersChosen(params, { ignoreFqdn: true, ignoreState: true });
  return (
    <>
      <IssueFilters params={params} onChange={setParams} withFqdn={false} searchLabel="Search this domain's issues" />
      {list.data ? (
        <>
          <IssuesTable
            rows={list.data.rows}
            withAsset
            sort={{ sort: input.sort ?? "severity", dir: input.dir ?? "desc" }}
            onSortChange={({ sort, dir }) => setParams({ sort, dir, page: null })}
            isFetching={list.isPlaceholderData}
            empty={
              <EmptyState
                className="border-0"
                icon={ShieldCheck}
                title={filtered ? "No issues match these filters" : `No ${stateWords[issueStateOf(params)]}issues on this domain`}
                description={
                  filtered
                    ? "Search matches the start of words in the issue's name, category or CWE. Try another word or clear the filters."
                    : "Switch to All to see every issue this domain has had."
                }
              />
            }
          />
          <Pagination {...list.data} noun="issues" onPageChange={(page) => setParams({ page })} />
        </>
      ) : (
        <TableSkeleton columns={6} />
      )}
    </>
  );
}

function DomainActivity({ id }: { id: string }) {
  const trpc = useTRPC();
  const activity = useQuery(trpc.assets.domainActivity.queryOptions({ id }));
  if (!activity.data) return <TableSkeleton rows={5} columns={3} />;
  const { runs, statusChanges } = activity.data;
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>Sync runs</CardTitle>
        </CardHeader>
        <CardContent className="py-1">
          {runs.length === 0 ? (
            <p className="py-4 text-sm text-slate-600">No sync runs recorded for this domain yet.</p>
          ) : (
            <ol className="divide-y divide-slate-100">
              {runs.map((run) => (
                <li key={run.id} className="flex items-start justify-between gap-3 py-3 text-sm">
                  <div className="min-w-0">
                    <p className="flex items-center gap-2">
                      <span className="font-medium text-slate-900">{triggerLabels[run.trigger]}</span>
                      <Badge tone={stateTones[run.state]}>{run.state}</Badge>
                    </p>
                    {run.counts ? (
                      <p className="mt-0.5 text-slate-600">
                        {run.counts.issuesCreated} new, {run.counts.issuesUpdated} updated, {run.counts.issuesClosed} closed issues
                      </p>
                    ) : null}
                    {run.errorMessage ? (
                      <p className={run.state === "partial" ? "mt-0.5 wrap-anywhere text-amber-800" : "mt-0.5 wrap-anywhere text-red-700"}>{run.errorMessage}</p>
                    ) : null}
                  </div>
                  <Time date={run.queuedAt} className="shrink-0 text-xs text-slate-600" />
                </li>
              ))}
            </ol>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Status changes</CardTitle>
        </CardHeader>
        <CardContent className="py-1">
          <StatusChanges
            changes={statusChanges.map((c) => ({ ...c, issue: { id: c.issueId, title: c.issueTitle, assetName: c.assetName } }))}
            empty="No issue under this domain has changed status yet."
          />
        </CardContent>
      </Card>
    </div>
  );
}
