// A member's saved Issues views, always scoped to the company and the member: nobody reads or changes another's.
import { and, asc, count, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { savedIssueViews } from "@/db/schema";

type Owner = { companyId: string; userId: string };

const ownedBy = ({ companyId, userId }: Owner) => and(eq(savedIssueViews.companyId, companyId), eq(savedIssueViews.userId, userId));

const columns = { id: savedIssueViews.id, name: savedIssueViews.name, query: savedIssueViews.query, updatedAt: savedIssueViews.updatedAt };

export function listSavedViews(db: Queryable, owner: Owner) {
  return db.select(columns).from(savedIssueViews).where(ownedBy(owner)).orderBy(asc(savedIssueViews.name));
}

export async function countSavedViews(db: Queryable, owner: Owner) {
  const [row] = await db.select({ n: count() }).from(savedIssueViews).where(ownedBy(owner));
  return Number(row?.n ?? 0);
}

/** Null when the member already has a view of that name. */
export async function createSavedView(db: Queryable, { name, query, ...owner }: Owner & { name: string; query: string }) {
  const [row] = await db
    .insert(savedIssueViews)
    .values({ ...owner, name, query })
    .onConflictDoNothing({ target: [savedIssueViews.companyId, savedIssueViews.userId, savedIssueViews.name] })
    .returning(columns);
  return row ?? null;
}

export async function findSavedViewByName(db: Queryable, { name, ...owner }: Owner & { name: string }) {
  const [row] = await db.select(columns).from(savedIssueViews).where(and(ownedBy(owner), eq(savedIssueViews.name, name)));
  return row ?? null;
}

/** Renames and/or replaces the filter of the member's view; null when it is not theirs. */
export async function updateSavedView(db: Queryable, { id, name, query, ...owner }: Owner & { id: string; name?: string; query?: string }) {
  const [row] = await db
    .update(savedIssueViews)
    .set({ ...(name !== undefined ? { name } : {}), ...(query !== undefined ? { query } : {}), updatedAt: new Date() })
    .where(and(ownedBy(owner), eq(savedIssueViews.id, id)))
    .returning(columns);
  return row ?? null;
}

export async function deleteSavedView(db: Queryable, { id, ...owner }: Owner & { id: string }) {
  const [row] = await db.delete(savedIssueViews).where(and(ownedBy(owner), eq(savedIssueViews.id, id))).returning({ id: savedIssueViews.id });
  return row ?? null;
}
