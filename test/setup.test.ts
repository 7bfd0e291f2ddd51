// First run on an empty database, on both engines: the setup procedure creates the company and its first admin,
// who can then sign in; a second setup is refused by the server; the admin CLI creates companies and users and
// resets passwords.
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditLog, companies, memberships, session, user } from "@/db/schema";
import { AdminCommandError, runAdminCommand } from "@/server/admin-cli";
import { createTestDatabase, type TestEngine } from "./databases";
import { callerFor, installDatabase, signInCookie } from "./fixtures";

const ADMIN = { companyName: "Initech", name: "Ada Lovelace", email: "Ada@Initech.example", password: "first-admin-password" };

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

describe.each<TestEngine>(["postgres", "pglite"])("first run on %s", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    installDatabase(handle);
  });
  afterAll(async () => {
    await handle.close();
  });

  it("says setup is needed, creates the company and its admin, and the admin signs in", async () => {
    const anonymous = await callerFor(null);
    expect(await anonymous.setup.status()).toEqual({ needed: true });
    const created = await anonymous.setup.create(ADMIN);
    expect(created.email).toBe("ada@initech.example");

    const admin = await callerFor("ada@initech.example", {}, ADMIN.password);
    const me = await admin.me.get();
    expect(me).toMatchObject({ role: "admin", company: { name: "Initech" }, user: { name: "Ada Lovelace" } });
    expect(me.permissions).toContain("members:manage");
    expect(await anonymous.setup.status()).toEqual({ needed: false });
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.companyId, created.companyId));
    expect(audit).toMatchObject({ action: "company.created", actorEmail: "ada@initech.example" });
  });

  it("refuses a second setup, whatever the input, and creates nothing", async () => {
    const anonymous = await callerFor(null);
    const error = await errorOf(anonymous.setup.create({ ...ADMIN, companyName: "Hijack Inc", email: "mallory@example.test" }));
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("FORBIDDEN");
    expect((error as TRPCError).message).toMatch(/already set up/);
    expect(await handle.db.select().from(companies).where(eq(companies.name, "Hijack Inc"))).toHaveLength(0);
    expect(await handle.db.select().from(user).where(eq(user.email, "mallory@example.test"))).toHaveLength(0);
  });

  it("creates companies and users from the CLI and resets a password, ending the sessions", async () => {
    const out = await runAdminCommand(handle.db, ["create-company", "--name", "Globex", "--admin-email", "hank@globex.example", "--admin-name", "Hank Scorpio"], {
      POSTURA_PASSWORD: "globex-admin-password",
    });
    expect(out[0]).toMatch(/Created company "Globex"/);
    const hank = await callerFor("hank@globex.example", {}, "globex-admin-password");
    expect((await hank.me.get()).company.name).toBe("Globex");

    const generated = await runAdminCommand(handle.db, ["create-user", "--company", "Globex", "--email", "Lisa@Globex.example", "--name", "Lisa", "--role", "viewer"], {});
    const password = generated.find((l) => l.startsWith("Generated password"))?.split(": ")[1];
    expect(password).toBeTruthy();
    const lisa = await callerFor("lisa@globex.example", {}, password);
    expect((await lisa.me.get()).role).toBe("viewer");

    // Ada (of Initech) added to Globex too: one account, two companies.
    await runAdminCommand(handle.db, ["create-user", "--company", "Globex", "--email", "ada@initech.example", "--role", "analyst"], {});
    const [ada] = await handle.db.select().from(user).where(eq(user.email, "ada@initech.example"));
    expect(await handle.db.select().from(memberships).where(eq(memberships.userId, ada!.id))).toHaveLength(2);

    const cookie = await signInCookie("hank@globex.example", "globex-admin-password");
    expect(cookie).toContain("session_token");
    await runAdminCommand(handle.db, ["reset-password", "--email", "hank@globex.example"], { POSTURA_PASSWORD: "a-brand-new-password" });
    const [hankRow] = await handle.db.select().from(user).where(eq(user.email, "hank@globex.example"));
    expect(await handle.db.select().from(session).where(eq(session.userId, hankRow!.id))).toHaveLength(0);
    await expect(signInCookie("hank@globex.example", "globex-admin-password")).rejects.toThrow(/401/);
    expect(await signInCookie("hank@globex.example", "a-brand-new-password")).toContain("session_token");
  });

  it("refuses bad CLI input with a message naming the option", async () => {
    const bad = [
      [["create-company", "--name", "Bad\u0000Name"], /--name/],
      [["create-user", "--company", "Globex", "--email", "not-an-email", "--name", "X", "--role", "viewer"], /--email/],
      [["create-user", "--company", "Globex", "--email", "x@globex.example", "--name", "X", "--role", "owner"], /--role/],
      [["create-user", "--company", "Nobody Corp", "--email", "x@globex.example", "--name", "X", "--role", "viewer"], /No company/],
      [["reset-password", "--email", "ghost@example.test"], /No account/],
    ] as const;
    for (const [argv, message] of bad) {
      const error = await errorOf(runAdminCommand(handle.db, [...argv], {}));
      expect(error).toBeInstanceOf(AdminCommandError);
      expect((error as Error).message).toMatch(message);
    }
    const weak = await errorOf(runAdminCommand(handle.db, ["reset-password", "--email", "ada@initech.example"], { POSTURA_PASSWORD: "short" }));
    expect((weak as Error).message).toMatch(/at least 10/);
  });
});
