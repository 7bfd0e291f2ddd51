// Companies, users and memberships: creating them (admin tooling, demo seed, tests) and reading a caller's.
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { account, companies, memberships, type Role, user } from "@/db/schema";

export async function createCompany(db: Queryable, { name }: { name: string }) {
  const [company] = await db.insert(companies).values({ name }).returning();
  if (!company) throw new Error("company insert returned nothing");
  return company;
}

export async function findUserByEmail(db: Queryable, email: string) {
  const [row] = await db.select().from(user).where(eq(user.email, email.toLowerCase()));
  return row ?? null;
}

/** Creates a user with an email + password sign-in (the same hash better-auth verifies) and a membership. */
export async function createMemberWithPassword(
  db: Queryable,
  input: { companyId: string; email: string; name: string; password: string; role: Role },
) {
  const userId = randomUUID();
  const passwordHash = await hashPassword(input.password);
  await db.insert(user).values({ id: userId, email: input.email.toLowerCase(), name: input.name, emailVerified: true });
  await db.insert(account).values({
    id: randomUUID(),
    accountId: userId,
    providerId: "credential",
    userId,
    password: passwordHash,
  });
  await db.insert(memberships).values({ userId, companyId: input.companyId, role: input.role });
  return { userId };
}

/** The caller's membership. A user belongs to one company today; the oldest membership wins if there are more. */
export async function getMembershipForUser(db: Queryable, userId: string) {
  const [row] = await db
    .select({
      role: memberships.role,
      companyId: companies.id,
      companyName: companies.name,
      companyPublicId: companies.publicId,
    })
    .from(memberships)
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(and(eq(memberships.userId, userId)))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  return row ?? null;
}
