// The sync_runs record of one domain sync: queued when enqueued, running with progress, then succeeded or failed
// with a classified error. Written outside the data batches so progress is visible while a run is in flight.
import { randomUUID } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { assets, type SkippedRecord, type SyncCounts, syncRuns, type SyncTrigger } from "@/db/schema";
import { describeError } from "@/server/error-fields";
import { QUEUES, queueDefinitions } from "@/server/jobs/queues";
import { logger } from "@/server/logger";
import { cleanText } from "./sanitise";
import { rowsOf } from "./sql";

/** How many skipped records a run keeps by name (the count has them all). */
export const SKIPPED_RECORDS_KEPT = 50;

export function emptySyncCounts(): SyncCounts {
  return {
    assetsCreated: 0,
    assetsUpdated: 0,
    assetsDeactivated: 0,
    issuesCreated: 0,
    issuesUpdated: 0,
    issuesClosed: 0,
    issuesReopened: 0,
    issuesUnchanged: 0,
    issuesUnmapped: 0,
    issuesFiltered: 0,
    recordsSkipped: 0,
  };
}

export function addCounts(into: SyncCounts, delta: SyncCounts): void {
  for (const key of Object.keys(delta) as (keyof SyncCounts)[]) into[key] = (into[key] ?? 0) + (delta[key] ?? 0);
}

/** "3 records skipped: posture gap 1f2e (detected: …); endpoint GET /x (…); …" for the run's reason line. */
export function summariseSkipped(skipped: readonly SkippedRecord[], total = skipped.length): string {
  const named = skipped.slice(0, 3).map((r) => {
    const noun = r.kind === "finding" ? "finding" : "endpoint";
    return `${noun} ${r.id ?? "without id"} (${r.reason})`;
  });
  const more = total > named.length ? `; and ${total - named.length} more` : "";
  return `${total} ${total === 1 ? "record" : "records"} skipped: ${named.join("; ")}${more}`;
}

type RunIdentity = { runId: string; companyId: string; integrationId: string; domain: string; trigger: SyncTrigger };

export async function recordQueuedRun(db: Queryable, run: RunIdentity) {
  // The worker may already have picked the job up and written the row: then this one stands aside.
  await db
    .insert(syncRuns)
    .values({ id: run.runId, companyId: run.companyId, integrationId: run.integrationId, domain: run.domain, trigger: run.trigger })
    .onConflictDoNothing();
}

/**
 * The run record an attempt of a queued run writes. A retry gets its own, so a failed attempt stays visible next to
 * the retry that followed — unless the run never started (still "queued": its worker was killed while the job
 * waited behind another of its batch), which is then this attempt's, rather than staying queued forever.
 */
export async function runIdForAttempt(db: Queryable, { companyId, runId, retryCount }: { companyId: string; runId: string; retryCount: number }) {
  if (retryCount === 0) return runId;
  const [run] = await db
    .select({ state: syncRuns.state })
    .from(syncRuns)
    .where(and(eq(syncRuns.companyId, companyId), eq(syncRuns.id, runId)));
  return run?.state === "queued" ? runId : randomUUID();
}

export const WORKER_STOPPED_MESSAGE = "The worker stopped during this run (killed or restarted); a later run took over.";
export const WORKER_STOPPED_MESSAGE_NO_RETRY =
  "The worker stopped during this run (killed or restarted) and no retry followed; sync the domain again.";

/** What the start of a run learned: its start on the database's clock, and whether the domain's last run ended well. */
export type RunStart = {
  startedAt: Date;
  /**
   * The domain's previous run (of this integration) ended succeeded or partial. When it did not — it failed, or its
   * worker died, possibly between committing data and updating the figures — this run must not trust the figures.
   */
  previousRunCompleted: boolean;
};

/**
 * Marks the run running, in one statement. One run per domain works at a time (the queue's stately policy), so
 * another "running" row of this domain is an orphan: its worker died before recording an end. It is closed here, so
 * no run stays "running" forever.
 */
export async function recordRunStarted(db: Queryable, run: RunIdentity): Promise<RunStart> {
  const fresh = JSON.stringify(emptySyncCounts());
  const [row] = rowsOf<{ orphans: string[] | null; started_at: string | Date; previous_state: string | null }>(
    await db.execute(sql`
      with orphans as (
        update sync_runs set state = 'failed', error_code = 'worker_stopped', error_message = ${WORKER_STOPPED_MESSAGE}, finished_at = now()
        where company_id = ${run.companyId}::uuid and integration_id = ${run.integrationId}::uuid and domain = ${run.domain}
          and state = 'running' and id <> ${run.runId}::uuid
        returning id
      ),
      started as (
        insert into sync_runs as r (id, company_id, integration_id, domain, trigger, state, started_at, finished_at, counts,
                                    progress_done, progress_total, error_code, error_message)
        values (${run.runId}::uuid, ${run.companyId}::uuid, ${run.integrationId}::uuid, ${run.domain}, ${run.trigger}::sync_trigger,
                'running', now(), null, ${fresh}::jsonb, 0, null, null, null)
        on conflict (id) do update set state = 'running', started_at = now(), finished_at = null, counts = excluded.counts,
          progress_done = 0, progress_total = null, error_code = null, error_message = null
        returning r.started_at
      )
      select (select array_agg(id) from orphans) as orphans, (select started_at from started) as started_at,
             -- Read before this statement's writes: an orphan closed above still shows "running" here.
             (select p.state from sync_runs p
              where p.company_id = ${run.companyId}::uuid and p.domain = ${run.domain} and p.integration_id = ${run.integrationId}::uuid
                and p.id <> ${run.runId}::uuid and p.state <> 'queued'
              order by p.queued_at desc limit 1) as previous_state`),
  );
  if (row?.orphans?.length) logger.warn("closed orphaned sync runs", { domain: run.domain, runIds: row.orphans });
  return {
    startedAt: new Date(row?.started_at ?? Date.now()),
    previousRunCompleted: row?.previous_state === "succeeded" || row?.previous_state === "partial",
  };
}

/**
 * How long a run may stay "running": the queue expires a domain-sync job after its expireInSeconds, so a run older
 * than that (with a margin for the clock and the last write) has no worker left.
 */
export const RUN_ABANDONED_AFTER_MS =
  ((queueDefinitions.find((q) => q.name === QUEUES.domainSync)?.options.expireInSeconds ?? 30 * 60) + 5 * 60) * 1000;

/**
 * Closes every run left "running" past RUN_ABANDONED_AFTER_MS, in every company: a worker killed during the last
 * attempt a job had leaves no retry to close it (recordRunStarted closes orphans only when its domain runs again).
 */
export async function closeAbandonedRuns(db: Queryable, now = new Date()): Promise<number> {
  const closed = await db
    .update(syncRuns)
    .set({ state: "failed", errorCode: "worker_stopped", errorMessage: WORKER_STOPPED_MESSAGE_NO_RETRY, finishedAt: now })
    .where(and(eq(syncRuns.state, "running"), lt(syncRuns.startedAt, new Date(now.getTime() - RUN_ABANDONED_AFTER_MS))))
    .returning({ id: syncRuns.id, domain: syncRuns.domain });
  if (closed.length > 0) logger.warn("closed abandoned sync runs", { runs: closed });
  return closed.length;
}

export async function recordRunProgress(
  db: Queryable,
  runId: string,
  progress: { done: number; total: number | null; counts: SyncCounts },
) {
  await db
    .update(syncRuns)
    .set({ progressDone: progress.done, progressTotal: progress.total, counts: progress.counts })
    .where(eq(syncRuns.id, runId));
}

/**
 * Records a run's end, in one statement — with the domain's "last synced" stamp when `stamp` names it (a successful
 * run of a domain; bookkeeping, not a change of the asset: its updated_at stays as it was).
 */
export async function recordRunFinished(
  db: Queryable,
  runId: string,
  outcome: {
    counts: SyncCounts;
    done: number;
    error: { code: string; message: string } | null;
    skipped?: readonly SkippedRecord[];
    stamp?: { companyId: string; assetId: string };
  },
) {
  const skipped = outcome.skipped ?? [];
  const state = outcome.error ? "failed" : skipped.length > 0 ? "partial" : "succeeded";
  // A failure's message, or a partial run's reason; cleaned, since either may quote what the source sent.
  const message = outcome.error ? outcome.error.message : skipped.length > 0 ? summariseSkipped(skipped, outcome.counts.recordsSkipped) : null;
  const { stamp } = outcome;
  const stampStatement = stamp
    ? sql`with stamped as (
        update assets set last_synced_at = now() where company_id = ${stamp.companyId}::uuid and id = ${stamp.assetId}::uuid returning 1
      ) `
    : sql``;
  try {
    await db.execute(sql`${stampStatement}
      update sync_runs set
        state = ${state}::sync_run_state,
        counts = ${JSON.stringify(outcome.counts)}::jsonb,
        progress_done = ${outcome.done},
        -- A finished run's bar is full; a failed one shows how far it got.
        progress_total = ${outcome.error ? sql`progress_total` : sql`${outcome.done}::int`},
        error_code = ${outcome.error ? cleanText(outcome.error.code, 64) : null},
        error_message = ${message === null ? null : cleanText(message)},
        skipped_records = ${skipped.length > 0 ? JSON.stringify(skipped.slice(0, SKIPPED_RECORDS_KEPT)) : null}::jsonb,
        finished_at = now()
      where id = ${runId}::uuid`);
  } catch (error) {
    // The run must end whatever its details hold: record the end without them.
    logger.error("could not record a sync run's outcome; recording it without details", { runId, ...describeError(error) });
    if (stamp) await db.update(assets).set({ lastSyncedAt: new Date() }).where(and(eq(assets.companyId, stamp.companyId), eq(assets.id, stamp.assetId)));
    await db
      .update(syncRuns)
      .set({
        state: outcome.error ? "failed" : state,
        errorCode: outcome.error ? "internal_error" : null,
        errorMessage: "The run ended, but its details could not be recorded; the worker log has them.",
        finishedAt: new Date(),
      })
      .where(eq(syncRuns.id, runId));
  }
}
