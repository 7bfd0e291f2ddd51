// One data-access layer over two engines: PostgreSQL through postgres.js when DATABASE_URL is set,
// otherwise PGlite (PostgreSQL in WASM) persisted under DATA_DIR. Callers only ever see `Database`.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or an open transaction: query functions accept both. */
export type Queryable = Database | Transaction;

/** The rows of `db.execute()`: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}

export type DatabaseHandle =
  | { kind: "postgres"; db: Database; sql: postgres.Sql; url: string; close(): Promise<void> }
  | { kind: "pglite"; db: Database; pglite: PGlite; close(): Promise<void> };

export type OpenOptions = { url: string } | { dataDir: string } | { memory: true };

export function openDatabase(options: OpenOptions, { poolSize = 10 }: { poolSize?: number } = {}): DatabaseHandle {
  if ("url" in options) {
    const sql = postgres(options.url, {
      max: poolSize,
      onnotice: () => {},
      // Drizzle parses dates itself; keep postgres.js from parsing timestamps twice.
      connection: { application_name: "postura" },
    });
    const db = drizzlePostgres(sql, { schema }) as unknown as Database;
    return { kind: "postgres", db, sql, url: options.url, close: () => sql.end({ timeout: 5 }) };
  }
  let pglite: PGlite;
  if ("dataDir" in options) {
    // PGlite does not create parent directories of its data directory.
    mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
    pglite = new PGlite(options.dataDir);
  } else {
    pglite = new PGlite("memory://");
  }
  const db = drizzlePglite(pglite, { schema }) as unknown as Database;
  return { kind: "pglite", db, pglite, close: () => pglite.close() };
}

export function migrationsFolder(): string {
  return path.join(process.cwd(), "db", "migrations");
}

export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === "postgres") {
    // Several processes may start at once; an advisory lock keeps their migrations from racing.
    const lockSql = postgres(handle.url, { max: 1, onnotice: () => {} });
    try {
      await lockSql`select pg_advisory_lock(727100)`;
      const migrator = drizzlePostgres(lockSql, { schema });
      await migratePostgres(migrator, { migrationsFolder: migrationsFolder() });
      await lockSql`select pg_advisory_unlock(727100)`;
    } finally {
      await lockSql.end({ timeout: 5 });
    }
  } else {
    await migratePglite(handle.db as never, { migrationsFolder: migrationsFolder() });
  }
}
