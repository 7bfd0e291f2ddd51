// The first sync of a seeded tenant on embedded PGlite (the single-machine mode): the same counts as on
// PostgreSQL, through pg-boss's PGlite backend and the real domain-sync worker, then an idempotent re-run.
import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets } from "@/db/schema";
import { createBoss, startBoss } from "@/server/jobs/boss";
import { QUEUES } from "@/server/jobs/queues";
import { associateDomains, createDomainSyncHandler, defaultSyncDependencies, runDomainSync } from "@/server/sync";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPgliteTestDatabase } from "./databases";
import { installDatabase } from "./fixtures";
import { domainAsset, eventually, issuesOfDomain, rowFingerprint, runsOf, seedSaltTenant, simulatorGaps, simulatorHosts } from "./sync-fixtures";

let handle: DatabaseHandle;
let sim: SaltSimulator;
let boss: PgBoss;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 7, hosts: 3, endpointsPerHost: 8, gapsPerEndpoint: 2 });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  handle = await createPgliteTestDatabase();
  installDatabase(handle);
  boss = createBoss(handle);
  await startBoss(boss);
  await boss.work(QUEUES.domainSync, { pollingIntervalSeconds: 0.5 }, createDomainSyncHandler(() => handle.db));
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  await handle?.close();
  await sim?.close();
});

it("imports a domain's endpoints and posture gaps with exact counts on PGlite, and re-runs without writing", async () => {
  const tenant = await seedSaltTenant(handle, sim);
  const [hostA] = simulatorHosts(sim) as [string];
  const { created } = await associateDomains(
    handle.db,
    { companyId: tenant.company.id, integrationId: tenant.integration.id, hosts: [hostA] },
    { boss },
  );
  expect(created).toHaveLength(1);
  await eventually(async () => (await runsOf(handle, tenant.integration.id)).every((r) => r.state === "succeeded"), "the first sync");

  const [firstRun] = await runsOf(handle, tenant.integration.id);
  expect(firstRun).toMatchObject({ trigger: "first_sync", domain: hostA, progressDone: 24, progressTotal: 24 });
  expect(firstRun!.counts).toEqual({
    assetsCreated: 8,
    assetsUpdated: 1,
    assetsDeactivated: 0,
    issuesCreated: 16,
    issuesUpdated: 0,
    issuesClosed: 0,
    issuesReopened: 0,
    issuesUnchanged: 0,
    issuesUnmapped: 0,
    issuesFiltered: 0,
    recordsSkipped: 0,
  });
  const fqdn = await domainAsset(handle, tenant.company.id, hostA);
  expect(await handle.db.select().from(assets).where(eq(assets.parentId, fqdn.id))).toHaveLength(8);
  expect(await issuesOfDomain(handle, fqdn.id)).toHaveLength(16);
  const openGaps = simulatorGaps(sim, hostA).filter((g) => g.status === "Open" || g.status === "Inprocess");
  expect(fqdn.openIssueCount).toBe(openGaps.length);

  const before = await rowFingerprint(handle, tenant.company.id);
  const again = await runDomainSync(
    handle.db,
    { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: hostA, trigger: "manual" },
    defaultSyncDependencies,
  );
  expect(again.counts).toMatchObject({ issuesUnchanged: 16, issuesUpdated: 0, assetsCreated: 0, assetsUpdated: 0 });
  const after = await rowFingerprint(handle, tenant.company.id);
  expect(after.filter((row, i) => row !== before[i] && !row.startsWith(`asset:${fqdn.id}:`))).toEqual([]);
});
