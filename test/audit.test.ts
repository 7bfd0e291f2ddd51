// The audit log through the routers, on real PostgreSQL with the Salt simulator and the job queue: one row per
// change that matters — integration, members, status, business impact, imports — each with who, when, from where
// and what changed; written with the change (a refused change leaves none); filterable, paged, admins only,
// company-scoped; and none of the secrets that passed through (API key, webhook tokens, passwords, invitation
// link) in any row.
import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, auditLog, defaultStatusMapping, issues } from "@/db/schema";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { PEER_ADDRESS_HEADER } from "@/server/security/client-ip";
import { SIMULATOR_KEYS, startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase, seedCompany } from "./fixtures";

let handle: DatabaseHandle;
let sim: SaltSimulator;
let boss: PgBoss;
let a: Awaited<ReturnType<typeof seedCompany>>;
let b: Awaited<ReturnType<typeof seedCompany>>;
const secrets: string[] = [SIMULATOR_KEYS.usFull.key];
const ADMIN_HEADERS = { [PEER_ADDRESS_HEADER]: "198.51.100.23", "user-agent": "audit-test-browser" };

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 5, hosts: 6, endpointsPerHost: 2, gapsPerEndpoint: 1 });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  resetJobRuntime();
  boss = await getBoss();
  a = await seedCompany(handle, "Audited Co");
  b = await seedCompany(handle, "Other Co");
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  resetJobRuntime();
  await handle?.close();
  await sim?.close();
});

describe("audit rows", () => {
  it("records each integration change with who, from where and what changed", async () => {
    const admin = await callerFor(a.members.admin.email, ADMIN_HEADERS);
    const saved = await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    if (!saved.ok) throw new Error(saved.message);
    const id = saved.integration.id;
    await admin.integrations.saveStatusMapping({ id, statusMapping: { ...defaultStatusMapping, fixed: [] } });
    await admin.integrations.saveSeverityFilter({ id, severityFilter: { ...saved.integration.settings.severityFilter, low: false } });
    const hosts = (await admin.integrations.hosts({ id, page: 1, pageSize: 10 })).hosts.map((h) => h.host);
    const added = await admin.integrations.addDomains({ id, hosts: hosts.slice(0, 2) });
    await admin.integrations.finish({ id });
    await admin.integrations.saveReconciliation({ id, reconciliationIntervalHours: 6 });
    secrets.push((await admin.integrations.revealWebhookToken({ id })).token);
    await admin.integrations.rotateWebhookToken({ id });
    secrets.push((await admin.integrations.revealWebhookToken({ id })).token);
    await admin.integrations.saveCredentials({ region: "us", apiKey: SIMULATOR_KEYS.usFull.key });
    await admin.integrations.removeDomain({ id, assetId: added.created[0]!.id });
    await admin.sync.syncIntegration({ integrationId: id });
    await admin.integrations.remove({ id });

    const { rows } = await admin.audit.list({ page: 1 });
    const actions = rows.map((r) => r.action).reverse();
    expect(actions).toEqual([
      "integration.credentials_replaced",
      "integration.status_mapping_changed",
      "integration.severity_filter_changed",
      "integration.domains_added",
      "integration.connected",
      "integration.reconciliation_changed",
      "integration.webhook_token_revealed",
      "integration.webhook_token_rotated",
      "integration.webhook_token_revealed",
      "integration.credentials_replaced",
      "integration.domain_removed",
      "integration.import_requested",
      "integration.removed",
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        actorUserId: a.members.admin.userId,
        actorName: "Admin User",
        actorEmail: a.members.admin.email,
        ipAddress: "198.51.100.23",
        userAgent: "audit-test-browser",
        targetType: "integration",
        targetId: id,
      });
    }
    const byAction = Object.fromEntries(rows.map((r) => [r.action, r.details]));
    expect(byAction["integration.severity_filter_changed"]).toEqual({ low: { from: true, to: false } });
    expect(byAction["integration.status_mapping_changed"]).toEqual({ fixed: { from: defaultStatusMapping.fixed, to: [] } });
    expect(byAction["integration.reconciliation_changed"]).toEqual({ intervalHours: { from: 24, to: 6 } });
    expect(byAction["integration.domains_added"]).toMatchObject({ count: 2, hosts: hosts.slice(0, 2) });
  });

  it("records member changes, and an issue status change by an analyst", async () => {
    const admin = await callerFor(a.members.admin.email, ADMIN_HEADERS);
    const invited = await admin.members.invite({ email: "audited.invitee@example.test", role: "viewer", permissions: [] });
    const token = invited.link.split("/invite/")[1]!;
    secrets.push(token, "invitee-password-Qw7");
    await (await callerFor(null)).members.acceptInvitation({ token, name: "Ivy Invitee", password: "invitee-password-Qw7" });
    const revoked = await admin.members.invite({ email: "never@example.test", role: "analyst", permissions: ["vendor_import"] });
    secrets.push(revoked.link.split("/invite/")[1]!);
    await admin.members.revokeInvitation({ id: revoked.id });
    await admin.members.changeRole({ userId: a.members.viewer.userId, role: "analyst" });
    await admin.members.setPermissions({ userId: a.members.viewer.userId, permissions: ["vendor_import"] });
    await admin.members.remove({ userId: a.members.viewer.userId });

    const [domain] = await handle.db
      .insert(assets)
      .values({ companyId: a.company.id, assetType: "domain", name: "api.audited.example", externalRef: "api.audited.example", businessImpact: "medium" })
      .returning();
    const [issue] = await handle.db.insert(issues).values({ companyId: a.company.id, assetId: domain!.id, title: "BOLA on /orders/{id}", severity: "high" }).returning();
    const analyst = await callerFor(a.members.analyst.email, { [PEER_ADDRESS_HEADER]: "198.51.100.77" });
    await analyst.issues.setStatus({ id: issue!.id, status: "in_progress", reason: "looking" });
    await analyst.assets.setBusinessImpact({ id: domain!.id, businessImpact: "high" });

    const members = await admin.audit.list({ q: "example.test", page: 1 });
    const memberActions = members.rows.map((r) => r.action);
    for (const action of ["member.invited", "invitation.accepted", "invitation.revoked", "member.role_changed", "member.permissions_changed", "member.removed"]) {
      expect(memberActions).toContain(action);
    }
    const role = members.rows.find((r) => r.action === "member.role_changed")!;
    expect(role).toMatchObject({ targetLabel: `Viewer User <${a.members.viewer.email}>`, details: { from: "viewer", to: "analyst" } });
    expect(members.rows.find((r) => r.action === "member.permissions_changed")!.details).toEqual({ granted: ["vendor_import"], revoked: [] });

    const status = await admin.audit.list({ action: "issue.status_changed", page: 1 });
    expect(status.rows).toHaveLength(1);
    expect(status.rows[0]).toMatchObject({
      actorEmail: a.members.analyst.email,
      actorName: "Analyst User",
      ipAddress: "198.51.100.77",
      targetId: issue!.id,
      targetLabel: "BOLA on /orders/{id}",
      details: { status: { from: "Identified", to: "In Progress" }, note: "looking" },
    });
    const impact = await admin.audit.list({ action: "asset.business_impact_changed", page: 1 });
    expect(impact.rows[0]).toMatchObject({ targetLabel: "api.audited.example", details: { to: "high" } });
  });

  it("writes no row for a change that was refused", async () => {
    const { members, company } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    await trpcError(admin.members.changeRole({ userId: members.admin.userId, role: "viewer" }));
    const rows = await handle.db.select().from(auditLog).where(eq(auditLog.companyId, company.id));
    expect(rows.filter((r) => r.action === "member.role_changed")).toHaveLength(0);
  });

  it("pages and filters, shows only the caller's company, and only to admins", async () => {
    const admin = await callerFor(a.members.admin.email);
    // A few more changes so that the log runs past one page.
    const analyst = await callerFor(a.members.analyst.email);
    const [domain] = await handle.db
      .insert(assets)
      .values({ companyId: a.company.id, assetType: "domain", name: "paged.audited.example", externalRef: "paged.audited.example", businessImpact: "medium" })
      .returning();
    for (const impact of ["low", "high", "low", "high", "low", "high"] as const) await analyst.assets.setBusinessImpact({ id: domain!.id, businessImpact: impact });
    const firstPage = await admin.audit.list({ page: 1 });
    expect(firstPage.total).toBeGreaterThan(firstPage.pageSize);
    const secondPage = await admin.audit.list({ page: 2 });
    expect(secondPage.rows.length).toBeGreaterThan(0);
    expect(secondPage.rows.map((r) => r.id)).not.toContain(firstPage.rows[0]!.id);
    expect(firstPage.rows[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(secondPage.rows[0]!.createdAt.getTime());

    const bAdmin = await callerFor(b.members.admin.email);
    expect((await bAdmin.audit.list({ page: 1 })).total).toBe(0);
    expect((await trpcError((await callerFor(a.members.analyst.email)).audit.list({ page: 1 }))).code).toBe("FORBIDDEN");
  });

  it("holds none of the secrets that passed through", async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    const dump = JSON.stringify(await handle.db.execute(sql`select row_to_json(x)::text as t from audit_log x`));
    expect(dump).toContain("integration.webhook_token_rotated");
    for (const secret of secrets) expect(dump).not.toContain(secret);
  });
});
