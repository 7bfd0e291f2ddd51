// Property: whatever the interleaving of user changes, Salt changes, write-backs and webhook syncs, once the queue
// drains both sides agree (except where a person's decision is kept on purpose) and nothing keeps writing.
import { and, count, eq } from "drizzle-orm";
import fc from "fast-check";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { type IssueStatus, issueStatuses, issues, statusHistory, statusWriteBacks } from "@/db/schema";
import { statusFromSalt } from "@/server/integrations/salt-security/mapping";
import { SALT_STATUSES, type SaltStatus } from "@/server/integrations/salt-security/schemas";
import { changeIssueStatusByUser } from "@/server/issues/status";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { defaultSyncDependencies, runDomainSync } from "@/server/sync";
import { runStatusWriteBack } from "@/server/writeback/job";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { installDatabase } from "./fixtures";
import { issueByExternalId, seedSaltTenant, simulatorGaps, simulatorHosts, type SaltTenant, addDomainAssets } from "./sync-fixtures";

let handle: DatabaseHandle;
let sim: SaltSimulator;
let boss: PgBoss;
let host: string;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 5, hosts: 1, endpointsPerHost: 3, gapsPerEndpoint: 1 });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  resetJobRuntime();
  boss = await getBoss();
  host = simulatorHosts(sim)[0]!;
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  resetJobRuntime();
  await handle?.close();
  await sim?.close();
});

type Step =
  | { kind: "user"; gap: number; status: IssueStatus }
  | { kind: "salt"; gap: number; status: SaltStatus }
  | { kind: "writeBack" }
  | { kind: "webhook" };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("user" as const), gap: fc.nat(2), status: fc.constantFrom(...issueStatuses) }),
  fc.record({ kind: fc.constant("salt" as const), gap: fc.nat(2), status: fc.constantFrom(...SALT_STATUSES) }),
  fc.constant({ kind: "writeBack" as const }),
  fc.constant({ kind: "webhook" as const }),
);

const tick = () => new Promise((r) => setTimeout(r, 3)); // keeps every change's timestamp distinct

async function sync(tenant: SaltTenant) {
  await runDomainSync(
    handle.db,
    { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: host, trigger: "webhook" },
    defaultSyncDependencies,
  );
}

async function processWriteBacks(tenant: SaltTenant) {
  const pending = await handle.db
    .select({ id: statusWriteBacks.id })
    .from(statusWriteBacks)
    .where(and(eq(statusWriteBacks.companyId, tenant.company.id), eq(statusWriteBacks.state, "pending")))
    .orderBy(statusWriteBacks.createdAt);
  for (const { id } of pending) {
    await runStatusWriteBack(handle.db, { writeBackId: id, companyId: tenant.company.id }, { finalAttempt: true });
  }
}

async function footprint(tenant: SaltTenant) {
  const [history] = await handle.db.select({ n: count() }).from(statusHistory).where(eq(statusHistory.companyId, tenant.company.id));
  const [outbox] = await handle.db.select({ n: count() }).from(statusWriteBacks).where(eq(statusWriteBacks.companyId, tenant.company.id));
  return { history: history!.n, outbox: outbox!.n, saltWrites: sim.writeLog().filter((w) => w.changed).length };
}

it("ends with both sides agreeing and no write-back loop", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
      sim.reset();
      const tenant = await seedSaltTenant(handle, sim);
      await addDomainAssets(handle, tenant, [host]);
      await sync(tenant);
      const gaps = simulatorGaps(sim, host).slice(0, 3);
      const issueIds = await Promise.all(gaps.map(async (g) => (await issueByExternalId(handle, tenant.company.id, g.postureGapId)).id));

      for (const s of steps) {
        await tick();
        if (s.kind === "user") {
          await changeIssueStatusByUser(
            handle.db,
            { companyId: tenant.company.id, issueId: issueIds[s.gap]!, status: s.status, userId: tenant.members.analyst.userId },
            { boss },
          );
        } else if (s.kind === "salt") {
          sim.state.updatePostureGap(gaps[s.gap]!.postureGapId, { status: s.status });
        } else if (s.kind === "writeBack") {
          await processWriteBacks(tenant);
        } else {
          await sync(tenant);
        }
      }

      // The queue drains: write-backs go out, Salt's webhooks bring the domain back in.
      await processWriteBacks(tenant);
      await sync(tenant);
      const settled = await footprint(tenant);

      const mapping = tenant.integration.settings.statusMapping;
      for (const [i, gap] of gaps.entries()) {
        const [issue] = await handle.db.select().from(issues).where(eq(issues.id, issueIds[i]!));
        const saltStatus = sim.state.getPostureGap(gap.postureGapId)!.status;
        const keptDecision = issue!.statusOrigin === "user" && (issue!.status === "risk_accepted" || issue!.status === "false_positive");
        const notSynced = (mapping[issue!.status] ?? []).length === 0;
        if (keptDecision || notSynced) continue;
        expect({ gap: i, salt: saltStatus, postura: issue!.status }).toEqual({
          gap: i,
          salt: saltStatus,
          postura: statusFromSalt(saltStatus, mapping),
        });
      }

      // No loop: another round of write-backs and webhooks writes nothing on either side.
      await processWriteBacks(tenant);
      await sync(tenant);
      await processWriteBacks(tenant);
      expect(await footprint(tenant)).toEqual(settled);
      const [pending] = await handle.db
        .select({ n: count() })
        .from(statusWriteBacks)
        .where(and(eq(statusWriteBacks.companyId, tenant.company.id), eq(statusWriteBacks.state, "pending")));
      expect(pending!.n).toBe(0);
    }),
    { numRuns: 25, seed: 20261122 },
  );
}, 240_000);
