// The door in front of better-auth's HTTP endpoints (app/api/auth/[...all]/route.ts):
// - only the endpoints Postura's UI uses are reachable; better-auth's others (update-user, change-email,
//   delete-user, password reset by email, …) answer 404, so nobody can, say, rename themselves to "Ada Admin";
// - better-auth's per-IP rate limit is keyed on the address we worked out (server/security/client-ip.ts), never
//   on a client's own X-Forwarded-For;
// - a per-account brake: after a few wrong passwords an account waits, longer after each further failure, up to a
//   cap — so guessing from many addresses gets nowhere, and the real person is never locked out for good;
// - failed sign-ins of known accounts go to their companies' audit logs; a success records the sign-in time.
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import { findUserByEmail } from "@/db/queries/companies";
import { memberships, signInThrottle, user } from "@/db/schema";
import { recordAudit } from "@/server/audit";
import { getDb } from "@/server/db";
import { clientIpFromHeaders } from "@/server/security/client-ip";

/** The header better-auth reads the client address from (advanced.ipAddress in server/auth.ts). */
export const CLIENT_IP_HEADER = "x-postura-client-ip";

const allowedEndpoints = new Set(["GET /get-session", "POST /sign-in/email", "POST /sign-out"]);

/** Failures allowed before the first wait, the first wait, and the longest. */
export const accountBrake = { freeFailures: 5, firstWaitSeconds: 30, maxWaitSeconds: 15 * 60, forgetAfterSeconds: 24 * 60 * 60 };

const MAX_SIGN_IN_BODY = 4096;
const signInBody = z.object({ email: z.string().max(320) }).loose();

function json(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/** Seconds this account must still wait before its next attempt, or 0. */
export async function accountWaitSeconds(db: Queryable, email: string, now = new Date()): Promise<number> {
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.email, email));
  if (!row?.lockedUntil) return 0;
  return Math.max(0, Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000));
}

/** How long to wait after the n-th consecutive failure: nothing for the first few, then doubling up to the cap. */
export function waitAfterFailures(failures: number): number {
  if (failures < accountBrake.freeFailures) return 0;
  return Math.min(accountBrake.maxWaitSeconds, accountBrake.firstWaitSeconds * 2 ** (failures - accountBrake.freeFailures));
}

async function recordFailure(db: Queryable, email: string, now: Date): Promise<number> {
  // Failures older than a day are forgotten, so a typo last week does not start today at a long wait.
  const forgetBefore = new Date(now.getTime() - accountBrake.forgetAfterSeconds * 1000);
  const [row] = await db
    .insert(signInThrottle)
    .values({ email, failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({
      target: signInThrottle.email,
      set: {
        failures: sql`case when ${signInThrottle.lastFailureAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${signInThrottle.failures} + 1 end`,
        lastFailureAt: now,
      },
    })
    .returning({ failures: signInThrottle.failures });
  const failures = row?.failures ?? 1;
  const wait = waitAfterFailures(failures);
  if (wait > 0) {
    await db.update(signInThrottle).set({ lockedUntil: new Date(now.getTime() + wait * 1000) }).where(eq(signInThrottle.email, email));
  }
  return failures;
}

/**
 * Deletes the failure counts there is no reason to keep: last failure past the forget window, and no wait still
 * running. Without it, sign-in attempts for made-up addresses would leave a row each for ever.
 */
export async function purgeForgottenSignInFailures(db: Queryable, now = new Date()): Promise<number> {
  const forgetBefore = new Date(now.getTime() - accountBrake.forgetAfterSeconds * 1000);
  const deleted = await db
    .delete(signInThrottle)
    .where(and(lt(signInThrottle.lastFailureAt, forgetBefore), or(isNull(signInThrottle.lockedUntil), lt(signInThrottle.lockedUntil, now))))
    .returning({ email: signInThrottle.email });
  return deleted.length;
}

async function recordSuccess(db: Queryable, email: string, now: Date) {
  await db.delete(signInThrottle).where(eq(signInThrottle.email, email));
  await db.update(user).set({ lastSignInAt: now }).where(eq(user.email, email));
}

async function auditFailure(db: Queryable, email: string, headers: Headers, ipAddress: string | null, failures: number) {
  const account = await findUserByEmail(db, email);
  if (!account) return; // an unknown address belongs to no company's log
  const companies = await db.select({ companyId: memberships.companyId }).from(memberships).where(eq(memberships.userId, account.id));
  for (const { companyId } of companies) {
    await recordAudit(db, {
      companyId,
      actor: { userId: null, name: null, email: null, ipAddress, userAgent: headers.get("user-agent") },
      action: "auth.sign_in_failed",
      target: { type: "user", id: account.id, label: `${account.name} <${account.email}>` },
      details: { consecutiveFailures: failures },
    });
  }
}

/** Handles one request to /api/auth/*, passing the allowed ones to better-auth's `handler`. */
export async function guardAuthRequest(request: Request, handler: (request: Request) => Promise<Response>): Promise<Response> {
  const url = new URL(request.url);
  const endpoint = url.pathname.replace(/^\/api\/auth/, "");
  if (!allowedEndpoints.has(`${request.method} ${endpoint}`)) return json(404, { message: "Not found." });

  const headers = new Headers(request.headers);
  headers.delete(CLIENT_IP_HEADER);
  const ipAddress = clientIpFromHeaders(request.headers);
  if (ipAddress) headers.set(CLIENT_IP_HEADER, ipAddress);

  const body = request.method === "GET" ? undefined : await request.text();
  if (endpoint !== "/sign-in/email") return handler(new Request(request.url, { method: request.method, headers, body }));
  if (body === undefined) return json(400, { message: "Send an email and a password." });

  if (body.length > MAX_SIGN_IN_BODY) return json(413, { message: "Request too large." });
  let parsed: z.infer<typeof signInBody> | null = null;
  try {
    parsed = signInBody.safeParse(JSON.parse(body)).data ?? null;
  } catch {
    parsed = null;
  }
  if (!parsed) return json(400, { message: "Send an email and a password." });
  const email = parsed.email.trim().toLowerCase();

  const db = getDb();
  const wait = await accountWaitSeconds(db, email);
  if (wait > 0) {
    return json(
      429,
      { code: "ACCOUNT_TEMPORARILY_LOCKED", message: `Too many failed sign-ins for this account. Try again in ${formatWait(wait)}.`, retryAfter: wait },
      { "retry-after": String(wait) },
    );
  }

  const response = await handler(new Request(request.url, { method: "POST", headers, body }));
  const now = new Date();
  if (response.ok) {
    await recordSuccess(db, email, now);
  } else if (response.status === 401) {
    await db.transaction(async (tx) => {
      const failures = await recordFailure(tx, email, now);
      await auditFailure(tx, email, request.headers, ipAddress, failures);
    });
  }
  return response;
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
