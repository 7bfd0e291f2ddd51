// Re-attaching the domains of a removed Salt integration when Salt is connected again, on both databases: the same
// asset and issue rows come back (history and comments kept), the next sync updates them without duplicates, a
// host the new account does not know is refused, and another company's removed domains are never offered.
import { and, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, issues } from "@/db/schema";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { QUEUES } from "@/server/jobs/queues";
import { createDomainSyncHandler } from "@/server/sync";
import { SIMULATOR_KEYS, startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createTestDatabase, type TestEngine } from "./databases";
import { callerFor, installDatabase, seedCompany, trpcError } from "./fixtures";
import { domainAsset, eventually, issuesOfDomain, runsOf, simulatorGaps, simulatorHosts } from "./sync-fixtures";

describe.each<TestEngine>(["postgres", "pglite"])("re-attaching earlier domains on %s", (engine) => {
  let handle: DatabaseHandle;
  let sim: SaltSimulator;
  let boss: PgBoss;

  beforeAll(async () => {
    sim = await startSaltSimulator({ port: 0, seed: 23, hosts: 4, endpointsPerHost: 3, gapsPerEndpoint: 2 });
    process.env.SALT_US_BASE_URL = sim.baseUrls.us;
    process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
    handle = await createTestDatabase(engine);
    installDatabase(handle);
    resetJobRuntime();
    boss = await getBoss();
    await boss.work(QUEUES.domainSync, { localConcurrency: 2, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 }, createDomainSyncHandler(() => handle.db));
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    resetJobRuntime();
    await handle?.close();
    await sim?.close();
  });

  /** Connects Salt for the admin, adds `hosts`, finishes, and waits for every first sync. */
  async function connect(admin: Awaited<ReturnType<typeof callerFor>>, hosts: string[]) {
    const saved = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    if (!saved.ok) throw new Error(saved.message);
    const id = saved.integration.id;
    if (hosts.length > 0) await admin.integrations.addDomains({ id, hosts });
    await admin.integrations.finish({ id });
    await eventually(async () => {
      const runs = await runsOf(handle, id);
      return runs.length >= hosts.length && runs.every((r) => r.state === "succeeded");
    }, "the first syncs");
    return id;
  }

  it("brings back the same domain, APIs and issues with their history; the next sync updates them, no duplicates", async () => {
    const { company, members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const [hostA, hostB] = simulatorHosts(sim) as [string, string];
    const first = await connect(admin, [hostA, hostB]);

    const domain = await domainAsset(handle, company.id, hostA);
    const before = await issuesOfDomain(handle, domain.id);
    expect(before.length).toBeGreaterThan(0);
    const target = before[0]!;
    await admin.issues.setOwner({ id: target.id, ownerUserId: members.analyst.userId });
    await admin.issues.addComment({ id: target.id, body: "Checked with the payments team." });
    const historyBefore = await admin.issues.history({ id: target.id });

    // A domain the earlier connection synced that this Salt account no longer has.
    const [gone] = await handle.db
      .insert(assets)
      .values({ companyId: company.id, assetType: "domain", name: "gone.example.com", externalRef: "gone.example.com", source: "salt_security", integrationId: first, syncEnabled: true })
      .returning();

    await admin.integrations.remove({ id: first });
    expect(await admin.issues.byId({ id: target.id })).toMatchObject({ sourceRemoved: true });

    const second = await connect(admin, []);
    const offered = await admin.integrations.previousDomains({ id: second });
    expect(offered.map((d) => [d.host, d.found]).sort()).toEqual(
      [
        [hostA, true],
        [hostB, true],
        ["gone.example.com", false],
      ].sort(),
    );

    const refused = await trpcError(admin.integrations.reattachDomains({ id: second, assetIds: [domain.id, gone!.id] }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toMatch(/does not know gone\.example\.com/);

    const result = await admin.integrations.reattachDomains({ id: second, assetIds: [domain.id] });
    expect(result.reattached).toEqual([{ id: domain.id, host: hostA }]);
    // The mark goes at once, before the sync has run.
    expect(await admin.issues.byId({ id: target.id })).toMatchObject({ sourceRemoved: false, integrationId: second });
    expect(await admin.assets.detail({ id: domain.id })).toMatchObject({ sourceRemoved: false });

    await eventually(async () => (await runsOf(handle, second)).some((r) => r.domain === hostA && r.state === "succeeded"), "the re-attached domain's sync");
    const [run] = (await runsOf(handle, second)).filter((r) => r.domain === hostA);
    expect(run!.counts).toMatchObject({ issuesCreated: 0, assetsCreated: 0 });

    const after = await issuesOfDomain(handle, domain.id);
    expect(after.map((i) => i.id)).toEqual(before.map((i) => i.id));
    expect(after.every((i) => i.integrationId === second)).toBe(true);
    const total = await handle.db.select({ externalId: issues.externalId }).from(issues).where(eq(issues.companyId, company.id));
    expect(new Set(total.map((i) => i.externalId)).size).toBe(total.length);
    expect(await admin.issues.history({ id: target.id })).toEqual(historyBefore);
    expect((await admin.issues.comments({ id: target.id })).map((c) => c.body)).toEqual(["Checked with the payments team."]);
    expect(await admin.issues.byId({ id: target.id })).toMatchObject({ owner: { id: members.analyst.userId } });

    // A change in Salt after re-attaching lands on the same issue.
    const gap = simulatorGaps(sim, hostA).find((g) => g.postureGapId === target.externalId)!;
    const wasCritical = gap.severity === "Critical";
    sim.state.updatePostureGap(gap.postureGapId, { severity: wasCritical ? "Low" : "Critical" });
    await admin.sync.syncIntegration({ integrationId: second });
    await eventually(async () => (await runsOf(handle, second)).filter((r) => r.domain === hostA && r.state === "succeeded").length >= 2, "the re-sync");
    const [updated] = await handle.db.select().from(issues).where(and(eq(issues.companyId, company.id), eq(issues.id, target.id)));
    expect(updated).toMatchObject({ severity: wasCritical ? "low" : "critical", integrationId: second });
    expect((await issuesOfDomain(handle, domain.id)).map((i) => i.id)).toEqual(before.map((i) => i.id));

    // What is left to offer: the other domain and the one Salt no longer has.
    expect((await admin.integrations.previousDomains({ id: second })).map((d) => d.host).sort()).toEqual([hostB, "gone.example.com"].sort());
  });

  it("never offers or re-attaches another company's removed domains", async () => {
    const [, , hostC] = simulatorHosts(sim) as [string, string, string];
    const other = await seedCompany(handle);
    const otherAdmin = await callerFor(other.members.admin.email);
    const otherFirst = await connect(otherAdmin, [hostC]);
    await otherAdmin.integrations.remove({ id: otherFirst });
    const otherDomain = await domainAsset(handle, other.company.id, hostC);

    const mine = await seedCompany(handle);
    const admin = await callerFor(mine.members.admin.email);
    const id = await connect(admin, []);
    expect(await admin.integrations.previousDomains({ id })).toEqual([]);
    expect((await trpcError(admin.integrations.reattachDomains({ id, assetIds: [otherDomain.id] }))).code).toBe("NOT_FOUND");
    const [row] = await handle.db.select().from(assets).where(eq(assets.id, otherDomain.id));
    expect(row).toMatchObject({ companyId: other.company.id, integrationId: otherFirst, syncEnabled: false });

    // Analysts see neither the offer nor the action.
    const analyst = await callerFor(mine.members.analyst.email);
    expect((await trpcError(analyst.integrations.previousDomains({ id }))).code).toBe("FORBIDDEN");
  });
});
