// Which function handles each queue, and how many of its jobs one process runs at once.
// Each feature adds its handler here; a queue without one is simply not worked by this process.
import type { Job, WorkOptions } from "pg-boss";
import { getDb } from "@/server/db";
import { createDomainSyncHandler } from "@/server/sync/job";
import { QUEUES, type QueueName } from "./queues";

export type JobHandler = {
  handler: (jobs: Job<unknown>[]) => Promise<unknown>;
  options: WorkOptions;
};

export const jobHandlers: Partial<Record<QueueName, JobHandler>> = {};

// Inbound sync: up to 4 domains at once per process (a full sync is one job per domain).
jobHandlers[QUEUES.domainSync] = {
  handler: createDomainSyncHandler(getDb),
  options: { localConcurrency: 4, pollingIntervalSeconds: 2 },
};
