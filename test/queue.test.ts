// pg-boss on both databases: jobs run, and the per-domain `stately` queue coalesces triggers without
// losing the one that arrives during a run.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgBoss } from "pg-boss";
import type { DatabaseHandle } from "@/db/client";
import { createBoss, startBoss } from "@/server/jobs/boss";
import { QUEUES } from "@/server/jobs/queues";
import { createTestDatabase, type TestEngine } from "./databases";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each<TestEngine>(["postgres", "pglite"])("job queue on %s", (engine) => {
  let handle: DatabaseHandle;
  let boss: PgBoss;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    boss = createBoss(handle);
    await startBoss(boss);
  });

  afterAll(async () => {
    await boss.stop({ graceful: false, close: true });
    await handle.close();
  });

  it("coalesces a burst for one domain into one run and keeps exactly one follow-up for a trigger during the run", async () => {
    const runs: string[] = [];
    let release = deferred();
    const firstStarted = deferred();
    const burst = await Promise.all(
      Array.from({ length: 25 }, () => boss.send(QUEUES.domainSync, { domain: "api.example.com" }, { singletonKey: "api.example.com" })),
    );
    expect(burst.filter((id) => id !== null)).toHaveLength(1);

    // The worker starts only now, so no job of the burst could be picked up (and free the slot) mid-burst.
    await boss.work<{ domain: string }>(QUEUES.domainSync, { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 }, async ([job]) => {
      runs.push(job!.data.domain);
      if (runs.length === 1) firstStarted.resolve();
      await release.promise;
    });

    await firstStarted.promise;
    const duringRun = await Promise.all(
      Array.from({ length: 10 }, () => boss.send(QUEUES.domainSync, { domain: "api.example.com" }, { singletonKey: "api.example.com" })),
    );
    expect(duringRun.filter((id) => id !== null)).toHaveLength(1);

    const releaseFirst = release;
    release = { promise: Promise.resolve(), resolve: () => {} };
    releaseFirst.resolve();
    await eventually(() => runs.length === 2, "the follow-up run");
    await eventually(async () => {
      // The job table itself: getQueue()'s counts come from a cache refreshed on pg-boss's monitor interval.
      const rows = await handle.db.execute<{ n: number }>(
        sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.domainSync} and state in ('created', 'retry', 'active')`,
      );
      const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: { n: number }[] }).rows) as { n: number }[];
      return Number(list[0]?.n) === 0;
    }, "the queue to drain");
    expect(runs).toEqual(["api.example.com", "api.example.com"]);
    await boss.offWork(QUEUES.domainSync);
  });
});
