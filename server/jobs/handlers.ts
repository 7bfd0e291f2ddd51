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

// Inbound sync: up to 4 domains at once per process (a full sync is one job per domain).
jobHandlers[QUEUES.domainSync] = {
  handler: createDomainSyncHandler(getDb),
  // With NOTIFY on, pg-boss polls only every notifyPollingIntervalSeconds (30 s by default) between wake-ups,
  // which would starve a backlog; poll every second as well.
  options: { localConcurrency: 4, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
};

// Connector imports (Tenable.io): one at a time per process; Tenable asks clients not to run exports in parallel.
jobHandlers[QUEUES.connectorImport] = {
  handler: createConnectorImportHandler(getDb),
  options: { localConcurrency: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
};

// Status write-back: a few at once; the source's rate limit is respected by the client's retries.
jobHandlers[QUEUES.statusWriteBack] = {
  handler: createStatusWriteBackHandler(getDb) as JobHandler["handler"],
  options: { localConcurrency: 2, includeMetadata: true, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
};

// Forwarding to Snapsec VM: one job per integration at a time (stately); each works batches of 500.
jobHandlers[QUEUES.issueForward] = {
  handler: createForwardHandler(getDb) as JobHandler["handler"],
  options: { localConcurrency: 2, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
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
      { ...definition, handler: instrumented(queue as QueueName, definition.handler) },
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
