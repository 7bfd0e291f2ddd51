// The sync_runs record of one domain sync: queued when enqueued, running with progress, then succeeded or failed
// with a classified error. Written outside the data batches so progress is visible while a run is in flight.
import { eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { type SyncCounts, syncRuns, type SyncTrigger } from "@/db/schema";

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
  };
}

type RunIdentity = { runId: string; companyId: string; integrationId: string; domain: string; trigger: SyncTrigger };

export async function recordQueuedRun(db: Queryable, run: RunIdentity) {
  // The worker may already have picked the job up and written the row: then this one stands aside.
  await db
    .insert(syncRuns)
    .values({ id: run.runId, companyId: run.companyId, integrationId: run.integrationId, domain: run.domain, trigger: run.trigger })
    .onConflictDoNothing();
}

export async function recordRunStarted(db: Queryable, run: RunIdentity) {
  const startedAt = new Date();
  const fresh = { state: "running" as const, startedAt, finishedAt: null, counts: emptySyncCounts(), progressDone: 0, progressTotal: null, errorCode: null, errorMessage: null };
  await db
    .insert(syncRuns)
    .values({ id: run.runId, companyId: run.companyId, integrationId: run.integrationId, domain: run.domain, trigger: run.trigger, ...fresh })
    .onConflictDoUpdate({ target: syncRuns.id, set: fresh });
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

export async function recordRunFinished(
  db: Queryable,
  runId: string,
  outcome: { counts: SyncCounts; done: number; error: { code: string; message: string } | null },
) {
  await db
    .update(syncRuns)
    .set({
      state: outcome.error ? "failed" : "succeeded",
      counts: outcome.counts,
      progressDone: outcome.done,
      // A finished run's bar is full; a failed one shows how far it got.
      ...(outcome.error ? {} : { progressTotal: outcome.done }),
      errorCode: outcome.error?.code ?? null,
      errorMessage: outcome.error?.message ?? null,
      finishedAt: new Date(),
    })
    .where(eq(syncRuns.id, runId));
}
