// The Salt Security connect wizard and settings through the integrations router, against real PostgreSQL and
// the Salt simulator: each key class's answer, draft resume, mapping rules, admin-only, cross-company, no secrets out.
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, defaultStatusMapping, integrations, syncRuns } from "@/db/schema";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { decryptSecret } from "@/server/security/secrets";
import { SIMULATOR_KEYS, startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase, seedCompany } from "./fixtures";

let handle: DatabaseHandle;
let sim: SaltSimulator;
let boss: PgBoss;

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 11, hosts: 30, endpointsPerHost: 3, gapsPerEndpoint: 2 });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  resetJobRuntime();
  boss = await getBoss();
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  resetJobRuntime();
  await handle?.close();
  await sim?.close();
});

describe("credentials step", () => {
  it("answers each kind of refused key with its classified message and creates no draft", async () => {
    const { members, company } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const cases = [
      { region: "us", apiKey: "not-a-real-key", code: "invalid_key", text: /refused this API key/ },
      { region: "us", apiKey: SIMULATOR_KEYS.euFull.key, code: "wrong_region", text: /belongs to the EU region/ },
      { region: "us", apiKey: SIMULATOR_KEYS.usExpired.key, code: "expired_key", text: /expired/ },
      { region: "us", apiKey: SIMULATOR_KEYS.usNoScope.key, code: "missing_scope", text: /perm-viewer/ },
    ] as const;
    for (const c of cases) {
      const result = await admin.integrations.saveCredentials({ region: c.region, apiKey: c.apiKey });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.code).toBe(c.code);
      expect(result.message).toMatch(c.text);
    }
    expect(await admin.integrations.live({ kind: "salt_security" })).toBeNull();
    const rows = await handle.db.select().from(integrations).where(eq(integrations.companyId, company.id));
    expect(rows).toHaveLength(0);
  });

  it("reports Salt unreachable when the region's API does not answer", async () => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const saved = process.env.SALT_US_BASE_URL;
    process.env.SALT_US_BASE_URL = "http://127.0.0.1:9";
    try {
      const result = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
      expect(result).toMatchObject({ ok: false, code: "network_unreachable" });
    } finally {
      process.env.SALT_US_BASE_URL = saved;
    }
  });

  it("lets a key without perm-executor continue, with write-back off and a warning", async () => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const result = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usReadonly.key });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warning).toMatch(/perm-executor/);
    expect(result.integration.canWriteBack).toBe(false);
  });

  it("trims a pasted key, stores it encrypted and never returns it", async () => {
    const { members, company } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const result = await admin.integrations.saveCredentials({ region: "us", apiKey: `  ${SIMULATOR_KEYS.usFull.key} \n` });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warning).toBeNull();
    expect(result.integration).toMatchObject({ state: "draft", wizardStep: "mapping", credentialsConfigured: true, canWriteBack: true });
    expect(JSON.stringify(result)).not.toContain(SIMULATOR_KEYS.usFull.key);
    const live = await admin.integrations.live({ kind: "salt_security" });
    expect(JSON.stringify(live)).not.toContain(SIMULATOR_KEYS.usFull.key);
    expect(Object.keys(live ?? {})).not.toContain("credentialsEncrypted");
    const [row] = await handle.db.select().from(integrations).where(eq(integrations.companyId, company.id));
    expect(row!.credentialsEncrypted).not.toContain(SIMULATOR_KEYS.usFull.key);
    expect(JSON.parse(decryptSecret(row!.credentialsEncrypted!))).toEqual({ apiKey: SIMULATOR_KEYS.usFull.key });
  });
});

describe("credentials that cannot be sent", () => {
  it.each([
    ["a zero-width space", `${SIMULATOR_KEYS.usFull.key.slice(0, 4)}\u200b${SIMULATOR_KEYS.usFull.key.slice(4)}`],
    ["a line break inside", `${SIMULATOR_KEYS.usFull.key.slice(0, 4)}\r\n${SIMULATOR_KEYS.usFull.key.slice(4)}`],
    ["NUL", `${SIMULATOR_KEYS.usFull.key}\u0000`],
    ["a letter outside Latin-1", `${SIMULATOR_KEYS.usFull.key}ł`],
  ])("refuses a key with %s as invalid characters and sends nothing to Salt", async (_what, apiKey) => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const before = sim.requestLog().length;
    const error = await trpcError(admin.integrations.saveCredentials({ region: "us", apiKey }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("The key contains invalid characters");
    expect(sim.requestLog()).toHaveLength(before);
    expect(await admin.integrations.live({ kind: "salt_security" })).toBeNull();
  });

  it("refuses an emptied key field instead of checking the stored key again", async () => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const saved = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    expect(saved.ok).toBe(true);
    const before = sim.requestLog().length;
    expect(await admin.integrations.saveCredentials({ region: "us", apiKey: "   " })).toEqual({
      ok: false,
      code: "invalid_key",
      message: "Paste your Salt Security API key.",
    });
    expect(sim.requestLog()).toHaveLength(before);
    // Leaving the key out is how the stored key is checked again.
    expect(await admin.integrations.saveCredentials({ region: "us" })).toMatchObject({ ok: true });
  });
});

describe("the draft", () => {
  it("resumes at the furthest step reached and never moves backwards", async () => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const saved = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    if (!saved.ok) throw new Error(saved.message);
    const id = saved.integration.id;
    await admin.integrations.saveStatusMapping({ id, statusMapping: defaultStatusMapping });
    await admin.integrations.saveSeverityFilter({
      id,
      severityFilter: { notification: false, low: true, medium: true, high: true, critical: true },
    });
    // A fresh session (a reload, or coming back tomorrow) finds the same draft at the Configuration step.
    const later = await callerFor(members.admin.email);
    const draft = await later.integrations.live({ kind: "salt_security" });
    expect(draft).toMatchObject({ id, state: "draft", wizardStep: "domains" });
    expect(draft!.settings.severityFilter.notification).toBe(false);
    // Saving credentials again (back to step 1) keeps the draft's progress and its id.
    const again = await later.integrations.saveCredentials({ region: "us" });
    expect(again).toMatchObject({ ok: true, integration: { id, wizardStep: "domains" } });
  });

  it("associates picked domains, queues their first sync, and finishes with a webhook token", async () => {
    const { members, company } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const saved = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    if (!saved.ok) throw new Error(saved.message);
    const id = saved.integration.id;

    const page1 = await admin.integrations.hosts({ id, page: 1, pageSize: 10 });
    expect(page1.total).toBe(30);
    expect(page1.pageCount).toBe(3);
    expect(page1.hosts).toHaveLength(10);
    expect(page1.hosts[0]!.endpointCount).toBeGreaterThan(0);
    expect(page1.hosts[0]!.openPostureGapCount).toEqual(expect.any(Number));
    const target = page1.hosts[3]!.host;
    const searched = await admin.integrations.hosts({ id, q: target.toUpperCase(), page: 1, pageSize: 10 });
    expect(searched.hosts.map((h) => h.host)).toContain(target);

    const added = await admin.integrations.addDomains({ id, hosts: [target] });
    expect(added.created.map((c) => c.host)).toEqual([target]);
    const domains = await admin.integrations.domains({ id });
    expect(domains.map((d) => d.host)).toEqual([target]);
    expect(domains[0]!.createdAt).toBeInstanceOf(Date);
    const runs = await handle.db.select().from(syncRuns).where(eq(syncRuns.integrationId, id));
    expect(runs.map((r) => [r.domain, r.trigger])).toEqual([[target, "first_sync"]]);
    expect((await admin.integrations.hosts({ id, q: target })).hosts.find((h) => h.host === target)?.associated).toBe(true);

    const bogus = await trpcError(admin.integrations.addDomains({ id, hosts: ["not-discovered.example"] }));
    expect(bogus.code).toBe("BAD_REQUEST");

    const connected = await admin.integrations.finish({ id });
    expect(connected).toMatchObject({ state: "connected", wizardStep: "done", webhookTokenConfigured: true });
    const webhook = await admin.integrations.webhook({ id });
    expect(webhook.url).toMatch(/\/api\/v3\/integrations\/scanners\/salt_security\/webhook$/);
    expect(webhook.companyId).toBe(company.publicId);
    expect(JSON.stringify(webhook)).not.toMatch(/whk_/);
    const { token } = await admin.integrations.revealWebhookToken({ id });
    expect(token).toMatch(/^whk_/);
    await admin.integrations.rotateWebhookToken({ id });
    expect((await admin.integrations.revealWebhookToken({ id })).token).not.toBe(token);

    const removedDomain = await admin.integrations.removeDomain({ id, assetId: domains[0]!.id });
    expect(removedDomain.detached).toBe(true);
    expect(await admin.integrations.domains({ id })).toEqual([]);
    const [asset] = await handle.db.select().from(assets).where(eq(assets.id, domains[0]!.id));
    expect(asset).toMatchObject({ syncEnabled: false });
  });
});

describe("status mapping", () => {
  it("saves a valid mapping with warnings for what is left unmapped", async () => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const saved = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    if (!saved.ok) throw new Error(saved.message);
    const mapping = { identified: ["Open", "Inprocess"], in_progress: [], fixed: ["Resolved"], risk_accepted: [], false_positive: [] } as const;
    const result = await admin.integrations.saveStatusMapping({
      id: saved.integration.id,
      statusMapping: { ...mapping, identified: [...mapping.identified], fixed: [...mapping.fixed], in_progress: [], risk_accepted: [], false_positive: [] },
    });
    expect(result.integration.settings.statusMapping.identified).toEqual(["Open", "Inprocess"]);
    expect(result.warnings.join(" ")).toMatch(/Ignored is not mapped/);
    expect(result.warnings.join(" ")).toMatch(/In Progress, Risk Accepted and False Positive have no Salt status/);
  });

  it("refuses a Salt status in two rows, and an unknown status", async () => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const saved = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    if (!saved.ok) throw new Error(saved.message);
    const id = saved.integration.id;
    const twice = await trpcError(
      admin.integrations.saveStatusMapping({ id, statusMapping: { ...defaultStatusMapping, fixed: ["Resolved", "Open"] } }),
    );
    expect(twice.code).toBe("BAD_REQUEST");
    const unknown = await trpcError(
      admin.integrations.saveStatusMapping({
        id,
        statusMapping: { ...defaultStatusMapping, fixed: ["Closed" as "Resolved"] },
      }),
    );
    expect(unknown.code).toBe("BAD_REQUEST");
    const live = await admin.integrations.live({ kind: "salt_security" });
    expect(live!.settings.statusMapping).toEqual(defaultStatusMapping);
  });
});

describe("permissions and tenancy", () => {
  it("refuses every change to analysts and viewers, and lets them read", async () => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const saved = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    if (!saved.ok) throw new Error(saved.message);
    const id = saved.integration.id;
    for (const role of ["analyst", "viewer"] as const) {
      const caller = await callerFor(members[role].email);
      expect((await caller.integrations.live({ kind: "salt_security" }))?.id).toBe(id);
      const attempts = [
        () => caller.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key }),
        () => caller.integrations.saveStatusMapping({ id, statusMapping: defaultStatusMapping }),
        () => caller.integrations.hosts({ id }),
        () => caller.integrations.addDomains({ id, hosts: ["x.example"] }),
        () => caller.integrations.finish({ id }),
        () => caller.integrations.checkConnection({ id }),
        () => caller.integrations.revealWebhookToken({ id }),
        () => caller.integrations.remove({ id }),
        () => caller.sync.syncIntegration({ integrationId: id }),
      ];
      for (const attempt of attempts) expect((await trpcError(attempt())).code).toBe("FORBIDDEN");
    }
  });

  it("answers NOT_FOUND to another company's admin and leaves the row unchanged", async () => {
    const a = await seedCompany(handle);
    const b = await seedCompany(handle);
    const bAdmin = await callerFor(b.members.admin.email);
    const saved = await bAdmin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    if (!saved.ok) throw new Error(saved.message);
    const id = saved.integration.id;
    const aAdmin = await callerFor(a.members.admin.email);
    for (const attempt of [
      () => aAdmin.integrations.byId({ id }),
      () => aAdmin.integrations.saveStatusMapping({ id, statusMapping: defaultStatusMapping }),
      () => aAdmin.integrations.hosts({ id }),
      () => aAdmin.integrations.domains({ id }),
      () => aAdmin.integrations.webhook({ id }),
      () => aAdmin.integrations.revealWebhookToken({ id }),
      () => aAdmin.integrations.checkConnection({ id }),
      () => aAdmin.integrations.remove({ id }),
    ]) {
      expect((await trpcError(attempt())).code).toBe("NOT_FOUND");
    }
    expect((await bAdmin.integrations.byId({ id })).state).toBe("draft");
  });
});

describe("settings", () => {
  it("checks the connection and removes the integration, keeping its assets", async () => {
    const { members, company } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const saved = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    if (!saved.ok) throw new Error(saved.message);
    const id = saved.integration.id;
    const [host] = (await admin.integrations.hosts({ id })).hosts;
    await admin.integrations.addDomains({ id, hosts: [host!.host] });
    await admin.integrations.finish({ id });

    expect(await admin.integrations.checkConnection({ id })).toMatchObject({ ok: true, canWriteBack: true });

    const result = await admin.integrations.remove({ id });
    expect(result.detachedDomains).toBe(1);
    expect(await admin.integrations.live({ kind: "salt_security" })).toBeNull();
    const [row] = await handle.db.select().from(integrations).where(eq(integrations.id, id));
    expect(row).toMatchObject({ state: "removed", credentialsEncrypted: null, webhookTokenHash: null });
    const domainAssets = await handle.db.select().from(assets).where(eq(assets.companyId, company.id));
    expect(domainAssets.map((a) => [a.externalRef, a.syncEnabled])).toEqual([[host!.host, false]]);
    // The FQDN list and the domain's page say it is no longer kept current.
    const viewer = await callerFor(members.viewer.email);
    expect((await viewer.assets.listFqdns({})).rows.map((r) => [r.name, r.sourceRemoved])).toEqual([[host!.host, true]]);
    expect(await viewer.assets.detail({ id: domainAssets[0]!.id })).toMatchObject({ sourceRemoved: true });
    // A new draft may start after removal.
    const fresh = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    expect(fresh.ok && fresh.integration.id).not.toBe(id);
  });
});
