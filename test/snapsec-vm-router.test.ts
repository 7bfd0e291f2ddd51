// The Snapsec VM procedures through the tRPC caller, against real PostgreSQL and the VM simulator over HTTP: roles
// (admins connect and manage, analysts retry a failed forward, viewers read), the key that never comes back, one
// company never reaching another's integration, and fuzzed custom-header text answered only with typed refusals.
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { forwardLinks, integrations } from "@/db/schema";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { defaultSyncDependencies, runDomainSync } from "@/server/sync";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { startSnapsecVmSimulator, type VmSimulator } from "@/tools/snapsec-vm-simulator";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase } from "./fixtures";
import { addDomainAssets, seedSaltTenant, simulatorHosts } from "./sync-fixtures";

let handle: DatabaseHandle;
let salt: SaltSimulator;
let vm: VmSimulator;
let boss: PgBoss;

beforeAll(async () => {
  salt = await startSaltSimulator({ port: 0, seed: 12, hosts: 1, endpointsPerHost: 2, gapsPerEndpoint: 1 });
  process.env.SALT_US_BASE_URL = salt.baseUrls.us;
  process.env.SALT_EU_BASE_URL = salt.baseUrls.eu;
  vm = await startSnapsecVmSimulator({ port: 0 });
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  resetJobRuntime();
  boss = await getBoss();
});
afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  resetJobRuntime();
  await handle?.close();
  await salt?.close();
  await vm?.close();
});

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function connectedTenant() {
  const tenant = await seedSaltTenant(handle, salt);
  const admin = await callerFor(tenant.members.admin.email);
  const saved = await admin.snapsecVm.saveCredentials({ baseUrl: vm.url, apiKey: vm.keys.admin.key });
  if (!saved.ok) throw new Error(saved.message);
  // The wizard's later steps have their own tests; here the integration is simply finished.
  await handle.db.update(integrations).set({ state: "connected", wizardStep: "done" }).where(eq(integrations.id, saved.integration.id));
  return { tenant, admin, integrationId: saved.integration.id };
}

describe("snapsec VM router", () => {
  it("lets only admins connect and manage, never returns the key, and refuses spaced or invalid keys with the remedy", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    const admin = await callerFor(tenant.members.admin.email);
    const analyst = await callerFor(tenant.members.analyst.email);
    const viewer = await callerFor(tenant.members.viewer.email);

    expect(await admin.snapsecVm.saveCredentials({ baseUrl: vm.url, apiKey: ` ${vm.keys.admin.key}` })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/extra spaces/i),
    });
    expect(await admin.snapsecVm.saveCredentials({ baseUrl: vm.url, apiKey: "vm_not_a_key" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/regenerate/i),
    });
    expect((await admin.integrations.live({ kind: "snapsec_vm" })) ?? null).toBeNull();

    for (const caller of [analyst, viewer]) {
      expect((await refusal(caller.snapsecVm.saveCredentials({ baseUrl: vm.url, apiKey: vm.keys.admin.key }))).code).toBe("FORBIDDEN");
    }
    const saved = await admin.snapsecVm.saveCredentials({ baseUrl: vm.url, apiKey: vm.keys.admin.key });
    expect(saved.ok).toBe(true);
    const id = saved.ok ? saved.integration.id : "";

    // Every member reads the integration; nothing they read holds the key.
    for (const caller of [admin, analyst, viewer]) {
      const view = await caller.integrations.live({ kind: "snapsec_vm" });
      expect(view?.id).toBe(id);
      expect(JSON.stringify(view)).not.toContain(vm.keys.admin.key);
    }
    for (const caller of [analyst, viewer]) {
      expect((await refusal(caller.snapsecVm.testConnection({ id }))).code).toBe("FORBIDDEN");
      expect((await refusal(caller.snapsecVm.backfill({ id }))).code).toBe("FORBIDDEN");
      expect((await refusal(caller.snapsecVm.disconnect({ id }))).code).toBe("FORBIDDEN");
    }
    const [stored] = await handle.db.select().from(integrations).where(eq(integrations.id, id));
    expect(stored?.credentialsEncrypted).toBeTruthy();
    expect(JSON.stringify(stored)).not.toContain(vm.keys.admin.key);
  });

  it("never reaches another company's integration", async () => {
    const acme = await connectedTenant();
    const other = await connectedTenant();
    for (const call of [
      () => other.admin.snapsecVm.testConnection({ id: acme.integrationId }),
      () => other.admin.snapsecVm.progress({ id: acme.integrationId }),
      () => other.admin.snapsecVm.backfill({ id: acme.integrationId }),
      () => other.admin.snapsecVm.saveHeaders({ id: acme.integrationId, text: "x-team: a", keep: [] }),
      () => other.admin.snapsecVm.disconnect({ id: acme.integrationId }),
    ]) {
      expect((await refusal(call())).code).toBe("NOT_FOUND");
    }
    expect((await acme.admin.integrations.live({ kind: "snapsec_vm" }))?.id).toBe(acme.integrationId);
  });

  it("lets analysts retry a failed forward and refuses viewers", async () => {
    const { tenant, integrationId } = await connectedTenant();
    const host = simulatorHosts(salt)[0]!;
    await addDomainAssets(handle, tenant, [host]);
    await runDomainSync(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: host, trigger: "first_sync" }, defaultSyncDependencies);
    const analyst = await callerFor(tenant.members.analyst.email);
    const viewer = await callerFor(tenant.members.viewer.email);
    const [issue] = (await analyst.issues.list({ sort: "severity", dir: "desc", page: 1 })).rows;
    await handle.db
      .insert(forwardLinks)
      .values({ companyId: tenant.company.id, integrationId, issueId: issue!.id, externalId: `postura-${issue!.id}`, state: "failed", lastError: "Snapsec VM is unavailable." });

    expect((await refusal(viewer.issues.retryForward({ id: issue!.id }))).code).toBe("FORBIDDEN");
    await analyst.issues.retryForward({ id: issue!.id });
    const [link] = await handle.db.select().from(forwardLinks).where(eq(forwardLinks.issueId, issue!.id));
    expect(link).toMatchObject({ state: "pending", lastError: null });
  });

  it("answers any custom-header text with a saved list or a typed refusal, never an internal error", async () => {
    const { admin, integrationId } = await connectedTenant();
    const line = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 60 })).map(([k, v]) => `${k}: ${v}`),
      fc.constantFrom("x-api-key: stolen", "Authorization: Bearer x", "Host: evil.example", "Content-Length: 1", "x-team: a\rb", "x-ok: \u202Eevil", "x\u0000y: z"),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 6 }), async (lines) => {
        try {
          const answer = await admin.snapsecVm.saveHeaders({ id: integrationId, text: lines.join("\n"), keep: [] });
          if (!answer.ok) expect(answer.message).toMatch(/\S/);
        } catch (error) {
          expect(error).toBeInstanceOf(TRPCError);
          expect((error as TRPCError).code).toBe("BAD_REQUEST");
        }
      }),
      { numRuns: 60, seed: 16 },
    );
  }, 120_000);
});
