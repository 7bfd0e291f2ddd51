// Bounded offset pagination for the lists: a capped count (never a full count over 100,000 rows) and a page
// number clamped so the offset stays within the cap.
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Queryable } from "@/db/client";
import { COUNT_CAP, MAX_PAGE, PAGE_SIZE } from "@/lib/list-options";

export type Page<Row> = {
  rows: Row[];
  /** Matching rows, up to COUNT_CAP. */
  total: number;
  /** True when more than COUNT_CAP rows match: show "10,000+". */
  totalCapped: boolean;
  page: number;
  pageSize: number;
};

export function pageOffset(page: number): { page: number; offset: number } {
  const bounded = Math.min(Math.max(1, Math.trunc(page)), MAX_PAGE);
  return { page: bounded, offset: (bounded - 1) * PAGE_SIZE };
}

/** Counts rows of `table` matching `where`, stopping at COUNT_CAP + 1 so a huge match costs the same as the cap. */
export async function cappedCount(db: Queryable, table: PgTable, where: SQL | undefined): Promise<{ total: number; totalCapped: boolean }> {
  const capped = db
    .select({ one: sql`1` })
    .from(table)
    .where(where)
    .limit(COUNT_CAP + 1)
    .as("capped");
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  const n = Number(row?.n ?? 0);
  return { total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP };
}

/** A user's search text as an ILIKE "contains" pattern, with LIKE's wildcards taken literally. */
export function containsPattern(q: string): string {
  return `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A user's search text as a prefix tsquery over a `search_vector` column: every word must start a word of the
 * row ("user ord" finds "GET /v2/users/{id}/orders"). Null when the text has no words.
 */
export function prefixSearch(column: AnyColumn, q: string | undefined): SQL | undefined {
  const words = (q ?? "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return undefined;
  return sql`${column} @@ to_tsquery('simple', ${words.map((w) => `${w}:*`).join(" & ")})`;
}
