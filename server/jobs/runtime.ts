// The process's queue: one pg-boss instance on globalThis (Next.js bundles share nothing else), started
// once, working jobs when this process is a worker, and stopped gracefully on shutdown. It knows no handler:
// producers (sync, write-back) import it to enqueue, and the worker entry points hand it the handlers
// (server/jobs/handlers.ts), so the runtime and the features do not import each other in a circle.
import type { Job, PgBoss, WorkOptions } from "pg-boss";
import { getDatabaseHandle, databaseReady } from "@/server/db";
import { logger } from "@/server/logger";
import { setQueueDepthSource } from "@/server/metrics";
import { createBoss, startBoss } from "./boss";
import { queueDefinitions, type QueueName } from "./queues";

export type JobHandler = {
  handler: (jobs: Job<unknown>[]) => Promise<unknown>;
  options: WorkOptions;
};

/** What a worker process works: a handler per queue, and the cron schedules to keep. */
export type JobWiring = {
  handlers: Partial<Record<QueueName, JobHandler>>;
  schedules: { queue: QueueName; cron: string }[];
};

const globalForJobs = globalThis as unknown as {
  __posturaBoss?: Promise<PgBoss>;
  __posturaWorking?: boolean;
};

/** The started queue, for producers (web requests enqueue through it). */
export function getBoss(): Promise<PgBoss> {
  globalForJobs.__posturaBoss ??= (async () => {
    await databaseReady();
    const boss = createBoss(getDatabaseHandle());
    await startBoss(boss);
    setQueueDepthSource(async () =>
      Promise.all(
        queueDefinitions.map(async ({ name }) => {
          const queue = await boss.getQueue(name);
          return { queue: name, queued: queue?.queuedCount ?? 0, active: queue?.activeCount ?? 0, failed: queue?.failedCount ?? 0 };
        }),
      ),
    );
    return boss;
  })();
  return globalForJobs.__posturaBoss;
}

/** Registers the given handlers and schedules on this process's queue. Idempotent. */
export async function startWorking({ handlers, schedules }: JobWiring): Promise<void> {
  if (globalForJobs.__posturaWorking) return;
  globalForJobs.__posturaWorking = true;
  const boss = await getBoss();
  for (const [name, definition] of Object.entries(handlers)) {
    if (!definition) continue;
    await boss.work(name, definition.options, definition.handler);
  }
  // One schedule for every worker process: pg-boss keys schedules by name, so starting several workers is safe.
  for (const { queue, cron } of schedules) await boss.schedule(queue, cron);
  logger.info("worker started", { queues: Object.keys(handlers) });
}

/** Lets running jobs finish (up to `timeoutMs`), then closes the queue and the database. */
export async function stopJobsAndDatabase(timeoutMs = 20_000): Promise<void> {
  const pending = globalForJobs.__posturaBoss;
  globalForJobs.__posturaBoss = undefined;
  globalForJobs.__posturaWorking = false;
  if (pending) {
    const boss = await pending;
    await boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
  await getDatabaseHandle().close();
}

/** Test seam: forget the cached queue so the next getBoss() binds to the current process database. */
export function resetJobRuntime(): void {
  globalForJobs.__posturaBoss = undefined;
  globalForJobs.__posturaWorking = false;
}
