// Which function handles each queue, and how many of its jobs one process runs at once.
// Each feature adds its handler here; a queue without one is simply not worked by this process.
import type { Job, WorkOptions } from "pg-boss";
import type { QueueName } from "./queues";

export type JobHandler = {
  handler: (jobs: Job<unknown>[]) => Promise<unknown>;
  options: WorkOptions;
};

export const jobHandlers: Partial<Record<QueueName, JobHandler>> = {};
