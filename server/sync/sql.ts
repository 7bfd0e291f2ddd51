// Small SQL helpers for the sync's upserts: "write only if something differs" needs the same column list twice,
// once for the stored row and once for the proposed one (`excluded`).
import { getTableName, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** The stored row's column, qualified by its table so ON CONFLICT clauses cannot read it as `excluded`. */
export function stored(column: PgColumn): SQL {
  return sql.raw(`"${getTableName(column.table)}"."${column.name}"`);
}

/** Rows as one jsonb parameter, for `jsonb_to_recordset`: a page of rows in one statement and one parameter. */
export function jsonRows(rows: readonly unknown[]): SQL {
  return sql`${JSON.stringify(rows)}::jsonb`;
}

/** The proposed row's column in an ON CONFLICT DO UPDATE. */
export function proposed(column: PgColumn): SQL {
  return sql.raw(`excluded."${column.name}"`);
}

/** `(t.a, t.b) is distinct from (excluded.a, excluded.b)`: true when the upsert would change the row. */
export function differsFromProposed(columns: PgColumn[]): SQL {
  return sql`(${sql.join(columns.map(stored), sql`, `)}) is distinct from (${sql.join(columns.map(proposed), sql`, `)})`;
}

/** Splits a list for statements whose parameter count must stay bounded. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** PostgreSQL's SQLSTATE of a failed query (postgres.js and PGlite put it on `code`; Drizzle wraps it in `cause`). */
export function sqlState(error: unknown): string | null {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

/**
 * Whether the database refused a statement for what the rows hold — a data exception (class 22), a value over an
 * index's limit (54000), or one row proposed twice (21000) — rather than for a reason that would hit any row.
 */
export function recordRefusedByDatabase(error: unknown): boolean {
  const state = sqlState(error);
  return state !== null && (state.startsWith("22") || state === "54000" || state === "21000");
}

export { rowsOf } from "@/db/client";
