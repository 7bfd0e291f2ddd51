// Crash recovery of forwarding: a backfill into Snapsec VM is pushed by separate worker processes (`npm run
// worker`), and the worker is killed with SIGKILL while batches are in flight. After a last restart the outbox
// drains and VM holds exactly one record per issue — the killed pushes were repeated by external id, never as
// second records — and every issue's link in Postura says where its record is.
import { count, countDistinct, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DatabaseHandle, rowsOf } from "@/db/client";
import { defaultForwardingSettings, defaultIntegrationSettings, forwardLinks, forwardOutbox, integrations, issues } from "@/db/schema";
import { externalIdOf } from "@/server/forwarding/job";
import { queueBackfill } from "@/server/forwarding/outbox";
import { sealVmCredentials, sealVmCustomHeaders } from "@/server/integrations/snapsec-vm";
import { createBoss, startBoss } from "@/server/jobs/boss";
import { QUEUES } from "@/server/jobs/queues";
import { defaultSyncDependencies, runDomainSync } from "@/server/sync";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { startSnapsecVmSimulator, type VmSimulator } from "@/tools/snapsec-vm-simulator";
import { createPostgresTestDatabase } from "./databases";
import { installDatabase } from "./fixtures";
import { addDomainAssets, eventually, seedSaltTenant, simulatorHosts } from "./sync-fixtures";
import { killAllWorkers, killed, seededRandom, startWorker } from "./worker-process";

// The forward queue retries a job 5 times, and every kill lands on a running job. A killed job comes back once its
// heartbeat lapses and the supervisor notices (10–60 s), which bounds how many kills a test can afford.
const KILLS = 3;

let handle: DatabaseHandle;
let salt: SaltSimulator;
let vm: VmSimulator;

beforeAll(async () => {
  salt = await startSaltSimulator({ port: 0, seed: 17, hosts: 6, endpointsPerHost: 50, gapsPerEndpoint: 5 });
  process.env.SALT_US_BASE_URL = salt.baseUrls.us;
  process.env.SALT_EU_BASE_URL = salt.baseUrls.eu;
  vm = await startSnapsecVmSimulator({ port: 0 });
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
});

afterAll(async () => {
  killAllWorkers();
  await handle?.close();
  await salt?.close();
  await vm?.close();
});

async function activeForwardJobs(): Promise<number> {
  const result = await handle.db.execute(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.issueForward} and state = 'active'`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

const recordsInVm = () => vm.state.listVulnerabilities({ offset: 0, limit: 100_000 }, { assessmentId: "asm_0001" }).data;

it("survives SIGKILLs of its workers mid-backfill and ends with exactly one VM record per issue", async () => {
  const tenant = await seedSaltTenant(handle, salt);
  const hosts = simulatorHosts(salt);
  await addDomainAssets(handle, tenant, hosts);
  for (const host of hosts) {
    await runDomainSync(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: host, trigger: "first_sync" }, defaultSyncDependencies);
  }
  const [{ n: issueCount } = { n: 0 }] = await handle.db.select({ n: count() }).from(issues).where(eq(issues.companyId, tenant.company.id));
  expect(issueCount).toBeGreaterThan(1_000); // several batches of 500, so kills can land between and inside them

  const [integration] = await handle.db
    .insert(integrations)
    .values({
      companyId: tenant.company.id,
      kind: "snapsec_vm",
      state: "connected",
      wizardStep: "done",
      baseUrl: vm.url,
      credentialsEncrypted: sealVmCredentials(vm.keys.admin.key),
      customHeadersEncrypted: sealVmCustomHeaders({}),
      settings: defaultIntegrationSettings,
      forwarding: { ...defaultForwardingSettings, unifiedAssessment: { id: "asm_0001", name: "API threats" } },
    })
    .returning();
  // Every VM call takes a while, so a kill finds a batch in flight.
  vm.injectFault({ kind: "latency", rate: 1, latencyMs: 400 });
  const boss = createBoss(handle);
  await startBoss(boss);
  await handle.db.transaction((tx) => queueBackfill(tx, { companyId: tenant.company.id, integrationId: integration!.id }, { boss }));
  await boss.stop({ graceful: false, close: true });

  const next = seededRandom(17);
  const atKill: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const worker = startWorker(handle, { APP_URL: "http://127.0.0.1:3000" });
    await worker.started;
    // The previous worker's job comes back once its heartbeat lapses; kill only once this worker is pushing.
    await eventually(async () => (await activeForwardJobs()) > 0 && vm.requestLog().some((r) => r.statusCode === "pending"), "a push in flight", 120_000);
    await new Promise((resolve) => setTimeout(resolve, next() * 400));
    atKill.push(recordsInVm().length);
    await killed(worker.process);
  }
  // The kills landed during the backfill, not after it.
  expect(Math.min(...atKill)).toBeLessThan(issueCount);

  vm.clearFaults();
  const last = startWorker(handle, { APP_URL: "http://127.0.0.1:3000" });
  await last.started;
  await eventually(
    async () => (await handle.db.select({ n: count() }).from(forwardOutbox).where(eq(forwardOutbox.integrationId, integration!.id)))[0]?.n === 0,
    "the outbox to drain",
    150_000,
  );
  await killed(last.process);

  const companyIssues = await handle.db.select({ id: issues.id, title: issues.title }).from(issues).where(eq(issues.companyId, tenant.company.id));
  const records = recordsInVm();
  expect(records).toHaveLength(companyIssues.length);
  const byExternalId = new Map(records.map((record) => [record.externalId, record]));
  for (const issue of companyIssues) expect(byExternalId.get(externalIdOf(issue.id))?.title).toBe(issue.title);

  const [links] = await handle.db
    .select({ n: count(), issues: countDistinct(forwardLinks.issueId), forwarded: sql<number>`count(*) filter (where ${forwardLinks.state} = 'forwarded')::int` })
    .from(forwardLinks)
    .where(eq(forwardLinks.integrationId, integration!.id));
  expect({ ...links, forwarded: Number(links?.forwarded) }).toEqual({ n: issueCount, issues: issueCount, forwarded: issueCount });
}, 480_000);
