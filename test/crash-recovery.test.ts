// Crash recovery: separate worker processes (`npm run worker`) are killed with SIGKILL at random points of a full
// sync, 20 times. After a last restart every domain's sync completes, with no duplicate assets or issues and counts
// equal to Salt's. The queue brings a killed worker's jobs back once their heartbeat lapses.
import { and, count, countDistinct, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, issues } from "@/db/schema";
import { enqueueFullSync } from "@/server/sync";
import { createBoss, startBoss } from "@/server/jobs/boss";
import { QUEUES } from "@/server/jobs/queues";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { installDatabase } from "./fixtures";
import { killAllWorkers, killed, seededRandom, startWorker } from "./worker-process";
import { eventually, seedSaltTenant, simulatorEndpoints, simulatorGaps, simulatorHosts, addDomainAssets } from "./sync-fixtures";

let handle: DatabaseHandle;
let sim: SaltSimulator;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 31, hosts: 10, endpointsPerHost: 20, gapsPerEndpoint: 3 });
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
});

afterAll(async () => {
  killAllWorkers();
  await handle?.close();
  await sim?.close();
});

const startSaltWorker = () => startWorker(handle, { SALT_US_BASE_URL: sim.baseUrls.us, SALT_EU_BASE_URL: sim.baseUrls.eu });

async function unfinishedJobs(): Promise<number> {
  const result = await handle.db.execute(
    sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.domainSync} and state in ('created', 'retry', 'active')`,
  );
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as { n: number }[];
  return Number(rows[0]?.n ?? 0);
}

it("survives 20 SIGKILLs of its workers during a full sync and ends with exactly Salt's data", async () => {
  const tenant = await seedSaltTenant(handle, sim);
  const hosts = simulatorHosts(sim);
  await addDomainAssets(handle, tenant, hosts);
  // Every Salt call takes a little while, so kills land in the middle of runs.
  sim.injectFault({ kind: "latency", rate: 1, latencyMs: 40 });
  const boss = createBoss(handle);
  await startBoss(boss);
  await enqueueFullSync({ companyId: tenant.company.id, integrationId: tenant.integration.id, trigger: "manual" }, { boss });
  await boss.stop({ graceful: false, close: true });

  const next = seededRandom(31);
  for (let kill = 0; kill < 20; kill++) {
    const worker = startSaltWorker();
    await worker.started;
    await new Promise((r) => setTimeout(r, 50 + next() * 700));
    await killed(worker.process);
  }

  const last = startSaltWorker();
  await last.started;
  await eventually(async () => (await unfinishedJobs()) === 0, "every domain's sync to complete", 150_000);
  await killed(last.process);

  for (const host of hosts) {
    const [domain] = await handle.db
      .select({ id: assets.id })
      .from(assets)
      .where(and(eq(assets.companyId, tenant.company.id), eq(assets.externalRef, host), eq(assets.assetType, "domain")));
    const [issueCounts] = await handle.db
      .select({ n: count(), distinct: countDistinct(issues.externalId) })
      .from(issues)
      .where(eq(issues.domainAssetId, domain!.id));
    const [apis] = await handle.db
      .select({ n: count(), distinct: countDistinct(assets.externalRef) })
      .from(assets)
      .where(eq(assets.parentId, domain!.id));
    expect({ host, issues: issueCounts!.n, distinctIssues: issueCounts!.distinct, apis: apis!.n, distinctApis: apis!.distinct }).toEqual({
      host,
      issues: simulatorGaps(sim, host).length,
      distinctIssues: simulatorGaps(sim, host).length,
      apis: simulatorEndpoints(sim, host).length,
      distinctApis: simulatorEndpoints(sim, host).length,
    });
  }
  // The kills did land mid-run, and no run they interrupted stays "running": each retry closed its orphan.
  const byState = await handle.db.execute(
    sql`select count(*) filter (where state in ('queued', 'running'))::int as open, count(*) filter (where error_code = 'worker_stopped')::int as orphaned from sync_runs`,
  );
  const [states] = (Array.isArray(byState) ? byState : (byState as unknown as { rows: unknown[] }).rows) as { open: number; orphaned: number }[];
  expect(Number(states?.orphaned)).toBeGreaterThan(0);
  expect(Number(states?.open)).toBe(0);
  const failed = await handle.db.execute(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.domainSync} and state = 'failed'`);
  const rows = (Array.isArray(failed) ? failed : (failed as unknown as { rows: unknown[] }).rows) as { n: number }[];
  expect(Number(rows[0]?.n)).toBe(0);
}, 300_000);
