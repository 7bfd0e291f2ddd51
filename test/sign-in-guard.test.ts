// Sign-in brute force and better-auth's unused endpoints, through the same door the HTTP route uses
// (guardAuthRequest → better-auth's handler), on real PostgreSQL. The peer-address header is what
// server/security/client-ip.ts stamps on every request at the socket; a client's X-Forwarded-For is its own.
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditLog, rateLimit, signInThrottle, user } from "@/db/schema";
import { getAuth } from "@/server/auth";
import { clientIpFromHeaders, PEER_ADDRESS_HEADER, trustedProxyList } from "@/server/security/client-ip";
import { accountBrake, guardAuthRequest, purgeForgottenSignInFailures, waitAfterFailures } from "@/server/sign-in-guard";
import { createPostgresTestDatabase } from "./databases";
import { installDatabase, seedCompany, signInCookie, TEST_PASSWORD } from "./fixtures";

let handle: DatabaseHandle;
let company: Awaited<ReturnType<typeof seedCompany>>;

const ORIGIN = "http://localhost:3000";

function authRequest(path: string, init: { method?: string; body?: unknown; peer: string; headers?: Record<string, string> }) {
  const headers = new Headers({ "content-type": "application/json", origin: ORIGIN, [PEER_ADDRESS_HEADER]: init.peer, ...init.headers });
  const request = new Request(`${ORIGIN}/api/auth${path}`, {
    method: init.method ?? "POST",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return guardAuthRequest(request, (allowed) => getAuth().handler(allowed));
}

const signIn = (email: string, password: string, peer: string, forwardedFor?: string) =>
  authRequest("/sign-in/email", { body: { email, password }, peer, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} });

const randomIp = () => `203.0.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

beforeAll(async () => {
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  company = await seedCompany(handle, "Guarded Co");
});

afterAll(async () => {
  await handle.close();
});

describe("per-account brake", () => {
  it("stops 40 guesses with a new X-Forwarded-For each, and the right password waits too", async () => {
    const email = company.members.analyst.email;
    const answers: number[] = [];
    for (let i = 0; i < 40; i++) answers.push((await signIn(email, `wrong-password-${i}`, "198.51.100.7", randomIp())).status);
    expect(answers.slice(0, accountBrake.freeFailures)).toEqual(Array(accountBrake.freeFailures).fill(401));
    expect(answers.slice(accountBrake.freeFailures).every((s) => s === 429)).toBe(true);

    const locked = await signIn(email, TEST_PASSWORD, "198.51.100.7", randomIp());
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await locked.json()).message).toMatch(/Too many failed sign-ins for this account\. Try again in/);
    // Another address entirely: the account still waits (the brake is per account, not per address).
    expect((await signIn(email, TEST_PASSWORD, "192.0.2.200")).status).toBe(429);
  });

  it("lets the real person in once the wait is over, and forgets the failures on success", async () => {
    const email = company.members.analyst.email;
    await handle.db.update(signInThrottle).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(signInThrottle.email, email));
    const response = await signIn(email, TEST_PASSWORD, "198.51.100.7");
    expect(response.status).toBe(200);
    expect(await handle.db.select().from(signInThrottle).where(eq(signInThrottle.email, email))).toHaveLength(0);
    const [row] = await handle.db.select().from(user).where(eq(user.email, email));
    expect(row?.lastSignInAt).toBeInstanceOf(Date);
  });

  it("waits longer after each further failure, up to a cap — never for good", () => {
    expect(waitAfterFailures(accountBrake.freeFailures - 1)).toBe(0);
    expect(waitAfterFailures(accountBrake.freeFailures)).toBe(accountBrake.firstWaitSeconds);
    expect(waitAfterFailures(accountBrake.freeFailures + 1)).toBe(2 * accountBrake.firstWaitSeconds);
    expect(waitAfterFailures(10_000)).toBe(accountBrake.maxWaitSeconds);
  });

  it("the daily purge drops failure counts once forgotten, never one whose wait still runs", async () => {
    const now = new Date("2026-11-20T12:00:00Z");
    const old = new Date(now.getTime() - accountBrake.forgetAfterSeconds * 1000 - 1000);
    await handle.db.insert(signInThrottle).values([
      { email: "forgotten@example.test", failures: 3, lastFailureAt: old },
      { email: "still-waiting@example.test", failures: 40, lastFailureAt: old, lockedUntil: new Date(now.getTime() + 60_000) },
      { email: "recent@example.test", failures: 2, lastFailureAt: new Date(now.getTime() - 60_000) },
    ]);
    expect(await purgeForgottenSignInFailures(handle.db, now)).toBe(1);
    const left = await handle.db.select({ email: signInThrottle.email }).from(signInThrottle).where(like(signInThrottle.email, "%@example.test"));
    expect(left.map((r) => r.email).sort()).toEqual(["recent@example.test", "still-waiting@example.test"]);
  });

  it("records failed sign-ins of a known account in its company's audit log, with the address, never the password", async () => {
    const email = company.members.viewer.email;
    expect((await signIn(email, "canary-password-Zq81", "198.51.100.99", "10.9.9.9")).status).toBe(401);
    const rows = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.companyId, company.company.id), eq(auditLog.action, "auth.sign_in_failed"), eq(auditLog.targetId, company.members.viewer.userId)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ipAddress: "198.51.100.99", targetLabel: `Viewer User <${email}>` });
    expect(JSON.stringify(rows)).not.toContain("canary-password-Zq81");
  });
});

describe("per-address limit", () => {
  it("counts one peer's attempts together whatever X-Forwarded-For it sends", async () => {
    const peer = "198.51.100.50";
    const statuses: number[] = [];
    // Different unknown accounts, so only the per-address limit (30 a minute on sign-in) can refuse.
    for (let i = 0; i < 32; i++) statuses.push((await signIn(`nobody-${i}@example.test`, "wrong-password", peer, randomIp())).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // A different peer is not affected.
    expect((await signIn("nobody@example.test", "wrong-password", "198.51.100.51")).status).toBe(401);
  });

  it("is one count for every web process: attempts another process counted stop this one", async () => {
    const peer = "198.51.100.60";
    expect((await signIn("process-a@example.test", "wrong-password", peer)).status).toBe(401);
    const [row] = await handle.db.select().from(rateLimit).where(like(rateLimit.key, `%${peer}%`));
    expect(row?.count).toBe(1);
    // Another web process has since seen 28 more from the same peer: this one allows only what is left of 30.
    await handle.db.update(rateLimit).set({ count: 29 }).where(eq(rateLimit.id, row!.id));
    expect((await signIn("process-a@example.test", "wrong-password", peer)).status).toBe(401);
    expect((await signIn("process-a@example.test", "wrong-password", peer)).status).toBe(429);
  });
});

describe("client address", () => {
  const headers = (peer: string, xff?: string) => new Headers({ [PEER_ADDRESS_HEADER]: peer, ...(xff ? { "x-forwarded-for": xff } : {}) });

  it("ignores X-Forwarded-For unless the peer is a trusted proxy", () => {
    expect(clientIpFromHeaders(headers("198.51.100.1", "1.2.3.4"), null)).toBe("198.51.100.1");
    const proxies = trustedProxyList("10.0.0.0/8, ::1");
    expect(clientIpFromHeaders(headers("198.51.100.1", "1.2.3.4"), proxies)).toBe("198.51.100.1");
    // Behind our proxy: the client's own prefix (a forged 1.2.3.4) is skipped; the proxy appended the real address.
    expect(clientIpFromHeaders(headers("10.0.0.5", "1.2.3.4, 203.0.113.9"), proxies)).toBe("203.0.113.9");
    expect(clientIpFromHeaders(headers("10.0.0.5", "203.0.113.9, 10.0.0.7"), proxies)).toBe("203.0.113.9");
    expect(clientIpFromHeaders(headers("::ffff:10.0.0.5", "203.0.113.9"), proxies)).toBe("203.0.113.9");
    expect(clientIpFromHeaders(headers("10.0.0.5", "not-an-ip"), proxies)).toBe("10.0.0.5");
    expect(clientIpFromHeaders(new Headers({ "x-forwarded-for": "1.2.3.4" }), proxies)).toBeNull();
  });
});

describe("better-auth endpoints Postura does not offer", () => {
  it("answers 404 to update-user (no more renaming to anything), sign-up, password and email changes", async () => {
    const cookie = await signInCookie(company.members.admin.email);
    const refused = [
      ["/update-user", { name: "x".repeat(10 * 1024 * 1024) }],
      ["/update-user", { name: "Ada Admin" }],
      ["/sign-up/email", { email: "new@example.test", password: "some-password-1", name: "New" }],
      ["/change-password", { currentPassword: TEST_PASSWORD, newPassword: "another-password-1" }],
      ["/change-email", { newEmail: "takeover@example.test" }],
      ["/delete-user", {}],
      ["/request-password-reset", { email: company.members.admin.email }],
      ["/revoke-sessions", {}],
    ] as const;
    for (const [path, body] of refused) {
      const response = await authRequest(path, { body, peer: "198.51.100.60", headers: { cookie } });
      expect(response.status, path).toBe(404);
    }
    const [admin] = await handle.db.select().from(user).where(eq(user.email, company.members.admin.email));
    expect(admin?.name).toBe("Admin User");
    const session = await authRequest("/get-session", { method: "GET", peer: "198.51.100.60", headers: { cookie } });
    expect(session.status).toBe(200);
    expect((await session.json()).user.email).toBe(company.members.admin.email);
  });
});
