// Companies, users and memberships: creating them (setup, admin CLI, invitations, demo seed, tests) and reading a caller's.
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { account, companies, memberships, type Role, session, user } from "@/db/schema";

export async function createCompany(db: Queryable, { name }: { name: string }) {
  const [company] = await db.insert(companies).values({ name }).returning();
  if (!company) throw new Error("company insert returned nothing");
  return company;
}

export async function findUserByEmail(db: Queryable, email: string) {
  const [row] = await db.select().from(user).where(eq(user.email, email.toLowerCase()));
  return row ?? null;
}

/** Whether anyone can sign in yet; a fresh install has no user and shows the setup screen. */
export async function hasAnyUser(db: Queryable): Promise<boolean> {
  const rows = await db.select({ id: user.id }).from(user).limit(1);
  return rows.length > 0;
}

/** A user with an email + password sign-in (the same hash better-auth verifies), without any membership. */
export async function createUserWithPassword(db: Queryable, input: { email: string; name: string; password: string }) {
  const userId = randomUUID();
  const passwordHash = await hashPassword(input.password);
  await db.insert(user).values({ id: userId, email: input.email.toLowerCase(), name: input.name, emailVerified: true });
  await db.insert(account).values({ id: randomUUID(), accountId: userId, providerId: "credential", userId, password: passwordHash });
  return { userId };
}

export async function addMembership(
  db: Queryable,
  input: { userId: string; companyId: string; role: Role; permissions?: readonly string[] },
) {
  await db.insert(memberships).values({ userId: input.userId, companyId: input.companyId, role: input.role, permissions: [...(input.permissions ?? [])] });
}

/** Creates a user with an email + password sign-in and a membership. */
export async function createMemberWithPassword(
  db: Queryable,
  input: { companyId: string; email: string; name: string; password: string; role: Role },
) {
  const { userId } = await createUserWithPassword(db, input);
  await addMembership(db, { userId, companyId: input.companyId, role: input.role });
  return { userId };
}

/** Replaces a user's password and ends every session they have (a reset is also how an admin locks someone out). */
export async function setUserPassword(db: Queryable, { userId, password }: { userId: string; password: string }) {
  const passwordHash = await hashPassword(password);
  const updated = await db
    .update(account)
    .set({ password: passwordHash, updatedAt: new Date() })
    .where(and(eq(account.userId, userId), eq(account.providerId, "credential")))
    .returning({ id: account.id });
  if (updated.length === 0) {
    await db.insert(account).values({ id: randomUUID(), accountId: userId, providerId: "credential", userId, password: passwordHash });
  }
  await db.delete(session).where(eq(session.userId, userId));
}

const membershipColumns = {
  role: memberships.role,
  permissions: memberships.permissions,
  companyId: companies.id,
  companyName: companies.name,
  companyPublicId: companies.publicId,
};

/**
 * The caller's membership in the company their session works in (`activeCompanyId`), or — when that is unset or
 * no longer theirs — their oldest membership. Null when they belong to no company.
 */
export async function getMembershipForUser(db: Queryable, userId: string, activeCompanyId?: string | null) {
  if (activeCompanyId) {
    const [active] = await db
      .select(membershipColumns)
      .from(memberships)
      .innerJoin(companies, eq(companies.id, memberships.companyId))
      .where(and(eq(memberships.userId, userId), eq(memberships.companyId, activeCompanyId)));
    if (active) return active;
  }
  const [oldest] = await db
    .select(membershipColumns)
    .from(memberships)
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(1);
  return oldest ?? null;
}

/** Every company a user belongs to, for the account menu's switcher. */
export function listCompaniesForUser(db: Queryable, userId: string) {
  return db
    .select({ id: companies.id, name: companies.name, role: memberships.role })
    .from(memberships)
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(sql`lower(${companies.name})`), asc(companies.id));
}

/** Points one session at another company. The caller checks the membership first. */
export async function setSessionCompany(db: Queryable, { sessionId, companyId }: { sessionId: string; companyId: string }) {
  await db.update(session).set({ activeCompanyId: companyId }).where(eq(session.id, sessionId));
}
