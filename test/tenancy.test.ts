// Company scoping and the permission ladder, on real PostgreSQL.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, integrations, issues } from "@/db/schema";
import { addMembership } from "@/db/queries/companies";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { callerFor, installDatabase, seedCompany, signInCookie } from "./fixtures";
import { createPostgresTestDatabase } from "./databases";

let handle: DatabaseHandle;
let a: Awaited<ReturnType<typeof seedCompany>>;
let b: Awaited<ReturnType<typeof seedCompany>>;
let bRows: { assetId: string; issueId: string; integrationId: string };

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
}

beforeAll(async () => {
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  a = await seedCompany(handle, "Company A");
  b = await seedCompany(handle, "Company B");
  const [integration] = await handle.db
    .insert(integrations)
    .values({ companyId: b.company.id, kind: "salt_security", state: "connected" })
    .returning();
  const [domain] = await handle.db
    .insert(assets)
    .values({ companyId: b.company.id, assetType: "domain", name: "api.b.example", externalRef: "api.b.example", businessImpact: "medium" })
    .returning();
  const [issue] = await handle.db
    .insert(issues)
    .values({ companyId: b.company.id, assetId: domain!.id, title: "BOLA on /users/{id}", severity: "high" })
    .returning();
  bRows = { assetId: domain!.id, issueId: issue!.id, integrationId: integration!.id };
});

afterAll(async () => {
  await handle.close();
});

describe("company scoping", () => {
  it("lets a company's own admin read its rows", async () => {
    const bAdmin = await callerFor(b.members.admin.email);
    expect((await bAdmin.assets.byId({ id: bRows.assetId })).name).toBe("api.b.example");
    expect((await bAdmin.issues.byId({ id: bRows.issueId })).title).toBe("BOLA on /users/{id}");
    expect((await bAdmin.integrations.byId({ id: bRows.integrationId })).kind).toBe("salt_security");
  });

  it("answers NOT_FOUND to company A for company B's asset, issue and integration", async () => {
    const aAdmin = await callerFor(a.members.admin.email);
    await expectTrpcError(aAdmin.assets.byId({ id: bRows.assetId }), "NOT_FOUND");
    await expectTrpcError(aAdmin.issues.byId({ id: bRows.issueId }), "NOT_FOUND");
    await expectTrpcError(aAdmin.integrations.byId({ id: bRows.integrationId }), "NOT_FOUND");
  });

  it("does not let company A change company B's rows, and leaves them unchanged", async () => {
    const aAdmin = await callerFor(a.members.admin.email);
    await expectTrpcError(aAdmin.assets.setBusinessImpact({ id: bRows.assetId, businessImpact: "high" }), "NOT_FOUND");
    await expectTrpcError(aAdmin.integrations.rotateWebhookToken({ id: bRows.integrationId }), "NOT_FOUND");
    const bAdmin = await callerFor(b.members.admin.email);
    expect((await bAdmin.assets.byId({ id: bRows.assetId })).businessImpact).toBe("medium");
    expect((await bAdmin.integrations.byId({ id: bRows.integrationId })).webhookTokenConfigured).toBe(false);
  });
});

describe("permission ladder", () => {
  it("refuses callers who are not signed in", async () => {
    const anonymous = await callerFor(null);
    await expectTrpcError(anonymous.me.get(), "UNAUTHORIZED");
    await expectTrpcError(anonymous.assets.byId({ id: bRows.assetId }), "UNAUTHORIZED");
  });

  it("refuses a viewer the admin and analyst mutations", async () => {
    const viewer = await callerFor(b.members.viewer.email);
    await expectTrpcError(viewer.integrations.rotateWebhookToken({ id: bRows.integrationId }), "FORBIDDEN");
    await expectTrpcError(viewer.assets.setBusinessImpact({ id: bRows.assetId, businessImpact: "high" }), "FORBIDDEN");
    expect((await viewer.assets.byId({ id: bRows.assetId })).businessImpact).toBe("medium");
  });

  it("lets an analyst edit business impact but not manage integrations", async () => {
    const analyst = await callerFor(b.members.analyst.email);
    await expectTrpcError(analyst.integrations.rotateWebhookToken({ id: bRows.integrationId }), "FORBIDDEN");
    const updated = await analyst.assets.setBusinessImpact({ id: bRows.assetId, businessImpact: "low" });
    expect(updated.businessImpact).toBe("low");
  });

  it("tells each role what it may do", async () => {
    expect((await (await callerFor(b.members.admin.email)).me.get()).permissions).toContain("integrations:manage");
    expect((await (await callerFor(b.members.viewer.email)).me.get()).permissions).toEqual([]);
  });

  it("refuses a mutation sent cross-site even with a valid session", async () => {
    const admin = await callerFor(b.members.admin.email, { origin: "https://evil.example" });
    await expectTrpcError(admin.integrations.rotateWebhookToken({ id: bRows.integrationId }), "FORBIDDEN");
    const sameSite = await callerFor(b.members.admin.email, { origin: "http://localhost:3000" });
    await expect(sameSite.integrations.rotateWebhookToken({ id: bRows.integrationId })).resolves.toHaveProperty("rotatedAt");
  });
});

describe("several companies per user", () => {
  // Each call is a new request with the same session cookie, as a browser tab makes them.
  const withCookie = (cookie: string) => ({
    request: async () => createCaller(await createTRPCContext({ headers: new Headers({ cookie }) })),
  });

  it("switches one session between the user's companies, and every read follows the current one", async () => {
    // Company A's analyst is also a viewer in company B.
    await addMembership(handle.db, { userId: a.members.analyst.userId, companyId: b.company.id, role: "viewer" });
    const aAsset = await handle.db
      .insert(assets)
      .values({ companyId: a.company.id, assetType: "domain", name: "api.a.example", externalRef: "api.a.example", businessImpact: "low" })
      .returning();
    const cookie = await signInCookie(a.members.analyst.email);
    const tab = withCookie(cookie);
    expect((await (await tab.request()).me.get()).company.name).toBe("Company A");
    expect((await (await tab.request()).me.companies()).map((c) => c.name)).toEqual(["Company A", "Company B"]);

    await (await tab.request()).me.switchCompany({ companyId: b.company.id });
    const me = await (await tab.request()).me.get();
    expect(me).toMatchObject({ company: { name: "Company B" }, role: "viewer" });
    expect((await (await tab.request()).assets.byId({ id: bRows.assetId })).name).toBe("api.b.example");
    // The company left behind is out of reach from this session, as is any change a viewer may not make.
    await expectTrpcError((await tab.request()).assets.byId({ id: aAsset[0]!.id }), "NOT_FOUND");
    await expectTrpcError((await tab.request()).assets.setBusinessImpact({ id: bRows.assetId, businessImpact: "high" }), "FORBIDDEN");
    expect((await (await tab.request()).issues.list({ page: 1 })).rows.map((r) => r.id)).toEqual([bRows.issueId]);

    // Another session of the same person stays where it was.
    const otherTab = withCookie(await signInCookie(a.members.analyst.email));
    expect((await (await otherTab.request()).me.get()).company.name).toBe("Company A");

    await (await tab.request()).me.switchCompany({ companyId: a.company.id });
    expect((await (await tab.request()).assets.byId({ id: aAsset[0]!.id })).name).toBe("api.a.example");
    await expectTrpcError((await tab.request()).assets.byId({ id: bRows.assetId }), "NOT_FOUND");
  });

  it("refuses a switch to a company the user does not belong to", async () => {
    const c = await seedCompany(handle, "Company C");
    const tab = withCookie(await signInCookie(a.members.admin.email));
    await expectTrpcError((await tab.request()).me.switchCompany({ companyId: c.company.id }), "NOT_FOUND");
    expect((await (await tab.request()).me.get()).company.name).toBe("Company A");
  });
});
