// The domain-sync queue's worker: one job = one run of one domain (see engine.ts).
import type { Job } from "pg-boss";
import type { Database } from "@/db/client";
import { addLogContext } from "@/server/logger";
import { observeSyncRun } from "@/server/metrics";
import { runDomainSync, type SyncDependencies } from "./engine";
import { recordWebhookEvidence } from "./reconciliation";
import { notifyNewCriticalIssues } from "@/server/notifications/rules";
import { runIdForAttempt } from "./runs";
import { defaultSyncDependencies } from "./sources";
import type { DomainSyncJobData } from "./types";

/** Thrown back to the queue so it retries (with backoff) a run that failed for a reason that may pass. */
export class RetryableSyncError extends Error {}

export function createDomainSyncHandler(getDatabase: () => Database, deps: SyncDependencies = defaultSyncDependencies) {
  return async (jobs: Job<unknown>[]) => {
    for (const job of jobs) {
      const data = job.data as DomainSyncJobData;
      const runId = await runIdForAttempt(getDatabase(), { companyId: data.companyId, runId: data.runId, retryCount: job.retryCount });
      addLogContext({ runId });
      const started = performance.now();
      const result = await runDomainSync(getDatabase(), { ...data, runId }, deps);
      observeSyncRun(result.state, (performance.now() - started) / 1000);
      // Reconciliation runs may raise the missed-webhook warning; webhook runs may clear it (reconciliation.ts).
      if (result.state !== "failed") await recordWebhookEvidence(getDatabase(), { ...data, runId, counts: result.counts, warningAtStart: result.warningAtStart });
      // The run's new Critical issues, announced together (one message per delivery run, not one per issue).
      if (result.counts.issuesCreated > 0) await notifyNewCriticalIssues(getDatabase(), { companyId: data.companyId, integrationId: data.integrationId, since: result.startedAt });
      if (result.error?.retryable) throw new RetryableSyncError(`${result.error.code}: ${result.error.message}`);
    }
  };
}
