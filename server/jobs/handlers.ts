// Which function handles each queue, and how many of its jobs one process runs at once; imported only by the
// worker entry points (worker-main.ts, instrumentation.ts), which hand it to the runtime's startWorking().
// Each feature adds its handler here; a queue without one is simply not worked by this process.
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { logger, withLogContext } from "@/server/logger";
import { timeJob } from "@/server/metrics";
import { createForwardHandler } from "@/server/forwarding/job";
import { kickDueForwarding } from "@/server/forwarding/outbox";
import { createConnectorImportHandler } from "@/server/sync/connector-import";
import { createDomainSyncHandler } from "@/server/sync/job";
import { RECONCILIATION_CRON, runReconciliationTick } from "@/server/sync/reconciliation";
import { createStatusWriteBackHandler } from "@/server/writeback/job";
import { createNotificationHandler } from "@/server/notifications/delivery";
import { sweepNotifications } from "@/server/notifications/rules";
import { expireRiskAcceptances } from "@/server/issues/bulk";
import { purgeForgottenSignInFailures } from "@/server/sign-in-guard";
import { purgeOldDeliveries } from "@/server/webhooks/rejections";
import type { JobResult } from "pg-boss";
import { QUEUES, type QueueName } from "./queues";
import type { JobHandler, JobWiring } from "./runtime";

export const jobHandlers: Partial<Record<QueueName, JobHandler>> = {};

/**
 * What every handler runs inside: its duration and outcome go to the metrics, and each log line it writes
 * carries the queue and job id (the sync adds its run id, see server/sync/job.ts).
 */
export function instrumented(queue: QueueName, handler: JobHandler["handler"]): JobHandler["handler"] {
  return (jobs) => withLogContext({ queue, jobId: jobs.map((job) => job.id).join(",") }, () => timeJob(queue, () => handler(jobs)));
}

/**
 * How a worker polls a queue that can hold a backlog (a full sync queues one job per domain; a bulk status change
 * one write-back per issue). pg-boss waits `pollingIntervalSeconds` minus the last job's duration after every
 * fetch, even with jobs waiting, so one job at a time made a worker run about one job a second whatever the work
 * (200 domains / 4 workers ≈ 50 s of a 43 s first sync, and all of an unchanged re-sync). A worker takes two jobs
 * at a time instead, and while its fetch comes back full it fetches again at once; a short fetch (the backlog is
 * worked) returns it to polling, and NOTIFY still wakes an idle worker the moment a job is sent. `perJobResults`
 * settles each job of the pair on its own, so one failing domain is retried alone.
 */
const BACKLOG = { batchSize: 2, burstWhenBatchFull: true, perJobResults: true, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 } as const;

/**
 * A backlog queue's handler from a one-job handler: the jobs of a batch run one after another, each timed and
 * logged as its own job, and each reported completed or failed (a failed one is retried by its queue's policy).
 */
export function eachJob(queue: QueueName, handler: JobHandler["handler"]): JobHandler["handler"] {
  return async (jobs): Promise<JobResult[]> => {
    const results: JobResult[] = [];
    for (const job of jobs) {
      try {
        await instrumented(queue, handler)([job]);
        results.push({ id: job.id, status: "completed" });
      } catch (error) {
        results.push({ id: job.id, status: "failed", output: error });
      }
    }
    return results;
  };
}

// Inbound sync: up to 4 domains at once per process (a full sync is one job per domain).
jobHandlers[QUEUES.domainSync] = {
  handler: eachJob(QUEUES.domainSync, createDomainSyncHandler(getDb)),
  options: { ...BACKLOG, localConcurrency: 4 },
};

// Connector imports (Tenable.io): one at a time per process; Tenable asks clients not to run exports in parallel.
jobHandlers[QUEUES.connectorImport] = {
  handler: eachJob(QUEUES.connectorImport, createConnectorImportHandler(getDb)),
  options: { ...BACKLOG, localConcurrency: 1 },
};

// Status write-back: a few at once; the source's rate limit is respected by the client's retries.
jobHandlers[QUEUES.statusWriteBack] = {
  handler: eachJob(QUEUES.statusWriteBack, createStatusWriteBackHandler(getDb) as JobHandler["handler"]),
  options: { ...BACKLOG, localConcurrency: 2, includeMetadata: true },
};

// Forwarding to Snapsec VM: one job per integration at a time (stately); each works batches of 500.
jobHandlers[QUEUES.issueForward] = {
  handler: eachJob(QUEUES.issueForward, createForwardHandler(getDb) as JobHandler["handler"]),
  options: { ...BACKLOG, localConcurrency: 2 },
};

// Forward sweep (scheduled below): restarts pushes whose retry wait is over or whose kick was lost.
jobHandlers[QUEUES.forwardSweep] = {
  handler: async () => {
    await kickDueForwarding(getDb());
  },
  options: { pollingIntervalSeconds: 5 },
};

// Reconciliation tick (scheduled below): queues the full syncs that are due.
jobHandlers[QUEUES.reconciliation] = {
  handler: async () => {
    await runReconciliationTick(getDb());
  },
  options: { pollingIntervalSeconds: 5 },
};

// Daily purge (scheduled below): webhook deliveries are kept WEBHOOK_DELIVERY_RETENTION_DAYS; sign-in failure
// counts until the account brake has forgotten them.
jobHandlers[QUEUES.webhookDeliveryPurge] = {
  handler: async () => {
    const deleted = await purgeOldDeliveries(getDb(), { retentionDays: env.WEBHOOK_DELIVERY_RETENTION_DAYS });
    logger.info("old webhook deliveries purged", { deleted, retentionDays: env.WEBHOOK_DELIVERY_RETENTION_DAYS });
    const forgotten = await purgeForgottenSignInFailures(getDb());
    logger.info("forgotten sign-in failures purged", { deleted: forgotten });
  },
  options: { pollingIntervalSeconds: 30 },
};

// Risk acceptance expiry (scheduled below): expired acceptances return to Identified, written back to Salt.
jobHandlers[QUEUES.riskAcceptanceExpiry] = {
  handler: async () => {
    const { changed } = await expireRiskAcceptances(getDb());
    if (changed > 0) logger.info("risk acceptances expired", { issues: changed });
  },
  options: { pollingIntervalSeconds: 30 },
};

// Notifications: one delivery job per company at a time (stately); each sends every due event, coalesced per rule.
jobHandlers[QUEUES.notificationDelivery] = {
  handler: createNotificationHandler(getDb),
  options: { localConcurrency: 2, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
};

// Notification sweep (scheduled below): due retries, lost kicks, and SLA breaches since the last check.
jobHandlers[QUEUES.notificationSweep] = {
  handler: async () => {
    await sweepNotifications(getDb());
  },
  options: { pollingIntervalSeconds: 30 },
};

/** Every minute: an acceptance ends within a minute of its end date. */
export const RISK_ACCEPTANCE_EXPIRY_CRON = "* * * * *";

/** Every day at 03:17 UTC (off the hour, when little else runs). */
export const WEBHOOK_DELIVERY_PURGE_CRON = "17 3 * * *";

export const jobWiring: JobWiring = {
  handlers: Object.fromEntries(
    Object.entries(jobHandlers).map(([queue, definition]) => [
      queue,
      // Backlog queues time and log each job inside eachJob; the others as one call.
      definition && !definition.options.perJobResults ? { ...definition, handler: instrumented(queue as QueueName, definition.handler) } : definition,
    ]),
  ),
  schedules: [
    { queue: QUEUES.reconciliation, cron: RECONCILIATION_CRON },
    { queue: QUEUES.webhookDeliveryPurge, cron: WEBHOOK_DELIVERY_PURGE_CRON },
    { queue: QUEUES.riskAcceptanceExpiry, cron: RISK_ACCEPTANCE_EXPIRY_CRON },
    { queue: QUEUES.forwardSweep, cron: "* * * * *" },
    { queue: QUEUES.notificationSweep, cron: "* * * * *" },
  ],
};
