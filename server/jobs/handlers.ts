// Which function handles each queue, and how many of its jobs one process runs at once; imported only by the
// worker entry points (worker-main.ts, instrumentation.ts), which hand it to the runtime's startWorking().
// Each feature adds its handler here; a queue without one is simply not worked by this process.
import { getDb } from "@/server/db";
import { createDomainSyncHandler } from "@/server/sync/job";
import { RECONCILIATION_CRON, runReconciliationTick } from "@/server/sync/reconciliation";
import { createStatusWriteBackHandler } from "@/server/writeback/job";
import { QUEUES, type QueueName } from "./queues";
import type { JobHandler, JobWiring } from "./runtime";

export const jobHandlers: Partial<Record<QueueName, JobHandler>> = {};

// Inbound sync: up to 4 domains at once per process (a full sync is one job per domain).
jobHandlers[QUEUES.domainSync] = {
  handler: createDomainSyncHandler(getDb),
  // With NOTIFY on, pg-boss polls only every notifyPollingIntervalSeconds (30 s by default) between wake-ups,
  // which would starve a backlog; poll every second as well.
  options: { localConcurrency: 4, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
};

// Status write-back: a few at once; the source's rate limit is respected by the client's retries.
jobHandlers[QUEUES.statusWriteBack] = {
  handler: createStatusWriteBackHandler(getDb) as JobHandler["handler"],
  options: { localConcurrency: 2, includeMetadata: true, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
};

// Reconciliation tick (scheduled below): queues the full syncs that are due.
jobHandlers[QUEUES.reconciliation] = {
  handler: async () => {
    await runReconciliationTick(getDb());
  },
  options: { pollingIntervalSeconds: 5 },
};

export const jobWiring: JobWiring = {
  handlers: jobHandlers,
  schedules: [{ queue: QUEUES.reconciliation, cron: RECONCILIATION_CRON }],
};
