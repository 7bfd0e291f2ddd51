// Members, invitations, roles and granted permissions through the routers, on real PostgreSQL: the invitation
// link (valid, reused, expired, revoked, wrong company, existing account), role changes on the next request, the
// last-admin rule, a permission granted and revoked, and removal ending the member's sessions at once.
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { invitations, memberships, session, user } from "@/db/schema";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase, seedCompany, signInCookie, TEST_PASSWORD } from "./fixtures";

let handle: DatabaseHandle;
let a: Awaited<ReturnType<typeof seedCompany>>;
let b: Awaited<ReturnType<typeof seedCompany>>;

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** A caller that keeps one session cookie across calls, as a browser tab does. */
async function callerWithCookie(cookie: string) {
  return createCaller(await createTRPCContext({ headers: new Headers({ cookie }) }));
}

const tokenOf = (link: string) => link.split("/invite/")[1]!;

beforeAll(async () => {
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  a = await seedCompany(handle, "Company A");
  b = await seedCompany(handle, "Company B");
});

afterAll(async () => {
  await handle.close();
});

describe("invitations", () => {
  it("invites by email, shows a single-use link, and the invitee sets a password and signs in with the role", async () => {
    const admin = await callerFor(a.members.admin.email);
    const invited = await admin.members.invite({ email: "New.Analyst@Example.test", role: "analyst", permissions: [] });
    expect(invited.link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    const [stored] = await handle.db.select().from(invitations).where(eq(invitations.id, invited.id));
    expect(stored!.tokenHash).not.toContain(tokenOf(invited.link)); // only the hash is kept

    const list = await admin.members.list();
    expect(list.invitations.map((i) => i.email)).toContain("new.analyst@example.test");

    const anonymous = await callerFor(null);
    expect(await anonymous.members.describeInvitation({ token: tokenOf(invited.link) })).toMatchObject({
      companyName: "Company A",
      email: "new.analyst@example.test",
      role: "analyst",
      state: "valid",
    });
    await anonymous.members.acceptInvitation({ token: tokenOf(invited.link), name: "Nia Analyst", password: "nia-password-123" });
    const nia = await callerFor("new.analyst@example.test", {}, "nia-password-123");
    expect(await nia.me.get()).toMatchObject({ role: "analyst", company: { name: "Company A" }, user: { name: "Nia Analyst" } });
    expect((await admin.members.list()).invitations.map((i) => i.email)).not.toContain("new.analyst@example.test");

    const reused = await trpcError(anonymous.members.acceptInvitation({ token: tokenOf(invited.link), name: "Mallory", password: "mallory-password" }));
    expect(reused.code).toBe("PRECONDITION_FAILED");
    expect(reused.message).toMatch(/already been used/);
  });

  it("refuses an expired link and a revoked one, and a made-up token", async () => {
    const admin = await callerFor(a.members.admin.email);
    const anonymous = await callerFor(null);
    const expired = await admin.members.invite({ email: "late@example.test", role: "viewer", permissions: [] });
    await handle.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, expired.id));
    expect((await anonymous.members.describeInvitation({ token: tokenOf(expired.link) }))?.state).toBe("expired");
    const lateError = await trpcError(anonymous.members.acceptInvitation({ token: tokenOf(expired.link), name: "Late Larry", password: "late-password-1" }));
    expect(lateError.message).toMatch(/expired/);

    const revoked = await admin.members.invite({ email: "withdrawn@example.test", role: "viewer", permissions: [] });
    await admin.members.revokeInvitation({ id: revoked.id });
    const revokedError = await trpcError(anonymous.members.acceptInvitation({ token: tokenOf(revoked.link), name: "Wendy", password: "wendy-password-1" }));
    expect(revokedError.message).toMatch(/withdrawn/);

    expect(await anonymous.members.describeInvitation({ token: "x".repeat(43) })).toBeNull();
    expect((await trpcError(anonymous.members.acceptInvitation({ token: "nope", name: "X", password: "whatever-password" }))).code).toBe("NOT_FOUND");
    expect(await handle.db.select().from(user).where(eq(user.email, "late@example.test"))).toHaveLength(0);
  });

  it("keeps an invitation to its own company: another company's admin can neither see nor revoke it, and accepting joins only that company", async () => {
    const aAdmin = await callerFor(a.members.admin.email);
    const bAdmin = await callerFor(b.members.admin.email);
    const invited = await aAdmin.members.invite({ email: "only-a@example.test", role: "viewer", permissions: [] });
    expect((await bAdmin.members.list()).invitations.map((i) => i.email)).not.toContain("only-a@example.test");
    expect((await trpcError(bAdmin.members.revokeInvitation({ id: invited.id }))).code).toBe("NOT_FOUND");

    await (await callerFor(null)).members.acceptInvitation({ token: tokenOf(invited.link), name: "Only A", password: "only-a-password" });
    const [joined] = await handle.db.select().from(user).where(eq(user.email, "only-a@example.test"));
    const rows = await handle.db.select().from(memberships).where(eq(memberships.userId, joined!.id));
    expect(rows.map((r) => r.companyId)).toEqual([a.company.id]);
  });

  it("adds a company to an existing account only when that account accepts while signed in", async () => {
    const bAdmin = await callerFor(b.members.admin.email);
    const invited = await bAdmin.members.invite({ email: a.members.viewer.email, role: "analyst", permissions: [] });
    const anonymous = await callerFor(null);
    expect((await trpcError(anonymous.members.acceptInvitation({ token: tokenOf(invited.link), name: "Someone", password: "someone-password" }))).code).toBe(
      "UNAUTHORIZED",
    );
    const otherUser = await callerFor(a.members.analyst.email);
    expect((await trpcError(otherUser.members.acceptInvitation({ token: tokenOf(invited.link) }))).code).toBe("UNAUTHORIZED");

    const viewer = await callerFor(a.members.viewer.email);
    await viewer.members.acceptInvitation({ token: tokenOf(invited.link) });
    expect((await viewer.me.companies()).map((c) => c.name).sort()).toEqual(["Company A", "Company B"]);
    // The password was not changed by accepting.
    expect(await signInCookie(a.members.viewer.email, TEST_PASSWORD)).toContain("session_token");
  });

  it("refuses to invite an existing member, and an invalid email", async () => {
    const admin = await callerFor(a.members.admin.email);
    expect((await trpcError(admin.members.invite({ email: a.members.analyst.email, role: "viewer", permissions: [] }))).code).toBe("CONFLICT");
    expect((await trpcError(admin.members.invite({ email: "not an email", role: "viewer", permissions: [] }))).code).toBe("BAD_REQUEST");
  });

  it("refuses names that are too long or carry control or direction characters", async () => {
    const admin = await callerFor(a.members.admin.email);
    const anonymous = await callerFor(null);
    for (const name of ["x".repeat(10 * 1024 * 1024), "Ada\u0000Admin", "Ada \u202EnimdA", "<script>"]) {
      const invited = await admin.members.invite({ email: `name-${Math.random().toString(36).slice(2)}@example.test`, role: "viewer", permissions: [] });
      expect((await trpcError(anonymous.members.acceptInvitation({ token: tokenOf(invited.link), name, password: "valid-password-1" }))).code).toBe("BAD_REQUEST");
    }
  });
});

describe("roles and permissions", () => {
  it("applies a role change on the member's next request", async () => {
    const { members } = await seedCompany(handle);
    const analyst = await callerWithCookie(await signInCookie(members.analyst.email));
    expect((await analyst.me.get()).role).toBe("analyst");
    await (await callerFor(members.admin.email)).members.changeRole({ userId: members.analyst.userId, role: "viewer" });
    expect((await analyst.me.get()).role).toBe("viewer");
    expect((await trpcError(analyst.assets.setBusinessImpact({ id: crypto.randomUUID(), businessImpact: "high" }))).code).toBe("FORBIDDEN");
  });

  it("never lets the last admin be demoted or removed", async () => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const demote = await trpcError(admin.members.changeRole({ userId: members.admin.userId, role: "analyst" }));
    expect(demote.code).toBe("PRECONDITION_FAILED");
    expect(demote.message).toMatch(/last admin/);
    expect((await trpcError(admin.members.remove({ userId: members.admin.userId }))).message).toMatch(/last admin/);

    await admin.members.changeRole({ userId: members.analyst.userId, role: "admin" });
    await admin.members.changeRole({ userId: members.admin.userId, role: "viewer" });
    const roles = Object.fromEntries((await (await callerFor(members.analyst.email)).members.list()).members.map((m) => [m.email, m.role]));
    expect(roles[members.admin.email]).toBe("viewer");
    expect(roles[members.analyst.email]).toBe("admin");
  });

  it("grants and revokes Vulnerability Vendor Import independently of role", async () => {
    const { members } = await seedCompany(handle);
    const admin = await callerFor(members.admin.email);
    const viewer = await callerWithCookie(await signInCookie(members.viewer.email));
    const importRun = () => viewer.sync.syncIntegration({ integrationId: crypto.randomUUID() });

    const refused = await trpcError(importRun());
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/Vulnerability Vendor Import/);

    await admin.members.setPermissions({ userId: members.viewer.userId, permissions: ["vendor_import"] });
    expect(await viewer.me.get()).toMatchObject({ role: "viewer", grants: ["vendor_import"], permissions: ["integrations:import"] });
    // Past the permission gate: the integration does not exist, so NOT_FOUND rather than FORBIDDEN.
    expect((await trpcError(importRun())).code).toBe("NOT_FOUND");
    // The grant is an import permission, nothing more.
    expect((await trpcError(viewer.integrations.rotateWebhookToken({ id: crypto.randomUUID() }))).code).toBe("FORBIDDEN");

    await admin.members.setPermissions({ userId: members.viewer.userId, permissions: [] });
    expect((await trpcError(importRun())).code).toBe("FORBIDDEN");
  });

  it("refuses member management to analysts and viewers, and to another company's admin", async () => {
    const analyst = await callerFor(a.members.analyst.email);
    expect((await trpcError(analyst.members.list())).code).toBe("FORBIDDEN");
    expect((await trpcError(analyst.members.invite({ email: "x@example.test", role: "admin", permissions: [] }))).code).toBe("FORBIDDEN");
    const bAdmin = await callerFor(b.members.admin.email);
    expect((await trpcError(bAdmin.members.changeRole({ userId: a.members.analyst.userId, role: "admin" }))).code).toBe("NOT_FOUND");
    expect((await trpcError(bAdmin.members.remove({ userId: a.members.analyst.userId }))).code).toBe("NOT_FOUND");
    const [row] = await handle.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, a.members.analyst.userId), eq(memberships.companyId, a.company.id)));
    expect(row?.role).toBe("analyst");
  });

  it("removes a member and ends their sessions at once", async () => {
    const { members } = await seedCompany(handle);
    const cookie = await signInCookie(members.analyst.email);
    expect((await (await callerWithCookie(cookie)).me.get()).role).toBe("analyst");
    await (await callerFor(members.admin.email)).members.remove({ userId: members.analyst.userId });
    expect(await handle.db.select().from(session).where(eq(session.userId, members.analyst.userId))).toHaveLength(0);
    expect((await trpcError((await callerWithCookie(cookie)).me.get())).code).toBe("UNAUTHORIZED");
  });
});
