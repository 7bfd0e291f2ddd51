// Background jobs on pg-boss, an existing Postgres-backed queue. The same code runs on PostgreSQL and, through
// pg-boss's PGlite backend, on the embedded database.
import { PgBoss, fromPglite } from "pg-boss";
import type { DatabaseHandle } from "@/db/client";
import { describeError } from "@/server/error-fields";
import { logger } from "@/server/logger";
import { queueDefinitions } from "./queues";

export type Boss = PgBoss;

export function createBoss(handle: DatabaseHandle): PgBoss {
  const common = {
    // Jobs of a killed worker come back after the heartbeat lapses instead of pg-boss's 15-minute default.
    superviseIntervalSeconds: 10,
    maintenanceIntervalSeconds: 60,
    // Wake workers the moment a job is sent instead of on their next poll.
    useListenNotify: true,
  } as const;
  const boss =
    handle.kind === "postgres"
      ? new PgBoss({ connectionString: handle.url, max: 4, ...common })
      : new PgBoss({ db: fromPglite(handle.pglite), backend: "pglite", ...common });
  boss.on("error", (error: unknown) => logger.error("queue error", describeError(error)));
  return boss;
}

/** Starts pg-boss (installing or upgrading its schema) and creates every queue Postura uses. */
export async function startBoss(boss: PgBoss): Promise<void> {
  await boss.start();
  for (const definition of queueDefinitions) {
    if (!(await boss.getQueue(definition.name))) await boss.createQueue(definition.name, definition.options);
  }
}
