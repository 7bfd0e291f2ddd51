"use client";
// The sync summary on the integration's settings page: a sync being requested, the runs in flight, or what the
// last finished runs did (newest run of each domain).
import { Loader2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { formatCount } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc-types";
import { latestRunByDomain, useSyncRuns } from "./domains-step";

type SyncRun = RouterOutputs["sync"]["runs"][number];
type RunCounts = NonNullable<SyncRun["counts"]>;

/**
 * `requesting`: Sync was pressed and its runs are not listed yet; said at once, so the summary never
 * shows the previous run as if it were the answer. `nothingQueued`: the request found no associated domain to sync.
 */
export function SyncSummary({ integrationId, requesting, nothingQueued }: { integrationId: string; requesting: boolean; nothingQueued: boolean }) {
  const runs = useSyncRuns(integrationId);
  const newest = [...latestRunByDomain(runs.data).values()];
  if (requesting) {
    const label = newest.length > 0 ? `Queuing a sync of ${formatCount(newest.length, "domain")}…` : "Queuing a sync…";
    return <SyncInFlight label={label} done={0} total={newest.length} />;
  }
  if (newest.length === 0) return null;
  const active = newest.filter((r) => r.state === "queued" || r.state === "running");
  if (active.length > 0) {
    const done = newest.length - active.length;
    return <SyncInFlight label={`Syncing ${active.length} of ${formatCount(newest.length, "domain")}`} done={done} total={newest.length} />;
  }
  return <LastSyncFacts runs={newest} nothingQueued={nothingQueued} />;
}

function SyncInFlight({ label, done, total }: { label: string; done: number; total: number }) {
  const pct = total === 0 ? 0 : Math.round((done / total) * 100);
  return (
    <div className="rounded-lg border border-brand-100 bg-brand-50/50 px-4 py-3 text-sm" role="status" data-testid="sync-summary">
      <div className="flex items-center justify-between gap-3">
        <span className="flex items-center gap-2 font-medium text-slate-900">
          <Loader2 aria-hidden className="size-4 animate-spin text-brand-600" />
          {label}
        </span>
        <span className="text-slate-600">{done} done</span>
      </div>
      <div
        role="progressbar"
        aria-label="Sync progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="mt-2 h-1.5 overflow-hidden rounded-full bg-white"
      >
        <div className="h-full bg-brand-600 transition-all" style={{ width: `${Math.max(pct, 4)}%` }} />
      </div>
    </div>
  );
}

/** The counts of the last finished runs, summed over domains; one fact per item, zero-only extras left out. */
function LastSyncFacts({ runs, nothingQueued }: { runs: SyncRun[]; nothingQueued: boolean }) {
  const total = sumCounts(runs);
  let finishedAt: Date | null = null;
  for (const run of runs) if (run.finishedAt && (!finishedAt || run.finishedAt > finishedAt)) finishedAt = run.finishedAt;
  const failed = runs.filter((r) => r.state === "failed").length;
  const partial = runs.filter((r) => r.state === "partial").length;
  const facts = [
    `${formatCount(total.assets, "asset")} added or updated`,
    `${formatCount(total.created, "issue")} created`,
    `${total.updated} updated`,
    `${total.closed} closed`,
    `${total.unchanged} unchanged`,
    total.reopened > 0 ? `${total.reopened} reopened` : null,
    total.filtered > 0 ? `${formatCount(total.filtered, "issue")} left out by severity filters` : null,
    total.unmapped > 0 ? `${formatCount(total.unmapped, "gap")} skipped: status not mapped` : null,
  ].filter((fact) => fact !== null);
  return (
    <div
      className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-600"
      role="status"
      data-testid="sync-summary"
    >
      <span className="font-medium text-slate-900">
        {nothingQueued ? (
          "Nothing to sync: no domains are associated."
        ) : (
          <>
            Last sync <Time date={finishedAt} />
          </>
        )}
      </span>
      {facts.map((fact) => (
        <span key={fact}>{fact}</span>
      ))}
      {partial > 0 ? <Badge tone="warning">{partial} partial</Badge> : null}
      {failed > 0 ? <Badge tone="danger">{failed} failed</Badge> : null}
    </div>
  );
}

function sumCounts(runs: SyncRun[]) {
  const total = { assets: 0, created: 0, updated: 0, closed: 0, reopened: 0, unchanged: 0, filtered: 0, unmapped: 0 };
  const add = (c: RunCounts) => {
    total.assets += c.assetsCreated + c.assetsUpdated;
    total.created += c.issuesCreated;
    total.updated += c.issuesUpdated;
    total.closed += c.issuesClosed;
    total.reopened += c.issuesReopened;
    total.unchanged += c.issuesUnchanged;
    total.filtered += c.issuesFiltered;
    total.unmapped += c.issuesUnmapped;
  };
  for (const run of runs) if (run.counts) add(run.counts);
  return total;
}
