// The Connectors workspace's procedures against real PostgreSQL and the Tenable simulator: Save authenticates first
// and stores nothing on failure, keys never come back, only admins change the connector, only members with
// Vulnerability Vendor Import (or admins) import, and one company never sees another's connector.
import { eq } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { integrations, memberships, syncRuns } from "@/db/schema";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { startTenableSimulator, type TenableSimulator } from "@/tools/tenable-simulator";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase, seedCompany } from "./fixtures";

let handle: DatabaseHandle;
let sim: TenableSimulator;
let boss: PgBoss;

beforeAll(async () => {
  sim = await startTenableSimulator({ port: 0, seed: 3, assets: 5, findingsPerAsset: 2 });
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

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("connectors router", () => {
  it("saves only keys Tenable accepts, never returns them, and gates changes and imports by permission", async () => {
    const acme = await seedCompany(handle);
    const admin = await callerFor(acme.members.admin.email);
    const analyst = await callerFor(acme.members.analyst.email);
    const base = { baseUrl: sim.baseUrl, daysSince: null };

    const bad = await admin.connectors.saveTenable({ ...base, accessKey: "nope", secretKey: "nope" });
    expect(bad).toMatchObject({ ok: false, code: "invalid_keys" });
    const basic = await admin.connectors.saveTenable({ ...base, ...sim.keys.basic });
    expect(basic).toMatchObject({ ok: false, code: "missing_permission" });
    expect((await admin.connectors.tenable()).connector?.saved ?? false).toBe(false);

    await expect(admin.connectors.saveTenable({ ...base, baseUrl: "http://tenable.example.com", ...sim.keys.admin })).rejects.toThrow(/https/);
    expect((await refusal(analyst.connectors.saveTenable({ ...base, ...sim.keys.admin }))).code).toBe("FORBIDDEN");

    expect(await admin.connectors.saveTenable({ ...base, ...sim.keys.admin })).toEqual({ ok: true });
    const view = await analyst.connectors.tenable();
    expect(view).toMatchObject({ canManage: false, canImport: false, connector: { saved: true, keysStored: true, baseUrl: sim.baseUrl, daysSince: null } });
    expect(JSON.stringify(view)).not.toContain(sim.keys.admin.secretKey);
    const [row] = await handle.db.select().from(integrations).where(eq(integrations.companyId, acme.company.id));
    expect(row!.credentialsEncrypted).not.toContain(sim.keys.admin.secretKey);

    // Blank keys keep the stored ones (checked again); a new Days since is saved.
    expect(await admin.connectors.saveTenable({ ...base, daysSince: 14 })).toEqual({ ok: true });
    expect((await admin.connectors.tenable()).connector?.daysSince).toBe(14);

    const refused = await refusal(analyst.connectors.importTenable());
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toContain("Vulnerability Vendor Import");

    await handle.db.update(memberships).set({ permissions: ["vendor_import"] }).where(eq(memberships.userId, acme.members.analyst.userId));
    const granted = await callerFor(acme.members.analyst.email);
    expect((await granted.connectors.tenable()).canImport).toBe(true);
    const started = await granted.connectors.importTenable();
    expect(started.queued).toBe(true);
    const runs = await granted.connectors.runs();
    expect(runs[0]).toMatchObject({ id: started.runId, state: "queued" });
    expect(await granted.connectors.cancelImport({ runId: started.runId })).toEqual({ cancelled: true });
    const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, started.runId));
    expect(run!.cancelRequestedAt).not.toBeNull();

    // Another company sees none of it, and cannot cancel it.
    const other = await seedCompany(handle);
    const outsider = await callerFor(other.members.admin.email);
    expect((await outsider.connectors.tenable()).connector).toBeNull();
    expect(await outsider.connectors.runs()).toEqual([]);
    expect((await refusal(outsider.connectors.cancelImport({ runId: started.runId }))).code).toBe("CONFLICT");
    expect((await refusal(outsider.connectors.importTenable())).code).toBe("PRECONDITION_FAILED");
  });
});
