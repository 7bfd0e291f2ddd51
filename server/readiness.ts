// Whether this process can serve: its database answers and its queue (pg-boss, in the same database) is
// reachable. Each check is bounded, so a hung database makes the answer 503 rather than a hung probe.
import { sql } from "drizzle-orm";
import { databaseReady, getDb } from "@/server/db";
import { getBoss } from "@/server/jobs/runtime";
import { QUEUES } from "@/server/jobs/queues";
import { logger } from "@/server/logger";

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
  ]);
}

async function check(name: string, work: () => Promise<unknown>): Promise<"ok" | "unavailable"> {
  try {
    await withTimeout(work());
    return "ok";
  } catch (error) {
    logger.warn("readiness check failed", { check: name, error });
    return "unavailable";
  }
}

export async function checkReadiness(): Promise<{ ready: boolean; database: "ok" | "unavailable"; queue: "ok" | "unavailable" }> {
  const database = await check("database", async () => {
    await databaseReady();
    await getDb().execute(sql`select 1`);
  });
  const queue = await check("queue", async () => {
    const boss = await getBoss();
    if (!(await boss.getQueue(QUEUES.domainSync))) throw new Error("queue missing");
  });
  return { ready: database === "ok" && queue === "ok", database, queue };
}
