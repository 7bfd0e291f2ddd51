// Companies, members and signed-in tRPC callers for tests. Sessions come from better-auth's real sign-in,
// so the procedure ladder is exercised exactly as a browser request would.
import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createCompany, createMemberWithPassword } from "@/db/queries/companies";
import type { Role } from "@/db/schema";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getAuth, resetAuth } from "@/server/auth";
import { setProcessDatabase } from "@/server/db";

export const TEST_PASSWORD = "correct-horse-battery";

/** Makes `handle` the process database for server code (auth, routers) in this test file. */
export function installDatabase(handle: DatabaseHandle): void {
  setProcessDatabase(handle);
  resetAuth();
}

export async function seedCompany(handle: DatabaseHandle, name = `Company ${randomBytes(3).toString("hex")}`) {
  const company = await createCompany(handle.db, { name });
  const members = {} as Record<Role, { email: string; userId: string }>;
  for (const role of ["admin", "analyst", "viewer"] as const) {
    const email = `${role}.${randomBytes(4).toString("hex")}@example.test`;
    const { userId } = await createMemberWithPassword(handle.db, {
      companyId: company.id,
      email,
      name: `${role[0]!.toUpperCase()}${role.slice(1)} User`,
      password: TEST_PASSWORD,
      role,
    });
    members[role] = { email, userId };
  }
  return { company, members };
}

/** Signs in through better-auth and returns the Cookie header a browser would send. */
export async function signInCookie(email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await getAuth().api.signInEmail({ body: { email, password }, asResponse: true });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  return cookies.join("; ");
}

export async function callerFor(email: string | null, extraHeaders: Record<string, string> = {}, password = TEST_PASSWORD) {
  const headers = new Headers(extraHeaders);
  if (email) headers.set("cookie", await signInCookie(email, password));
  return createCaller(await createTRPCContext({ headers }));
}

/** The TRPCError a call rejects with (the test fails if it resolves or throws something else). */
export async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}
