// The process-wide database handle. Kept on globalThis because Next.js loads instrumentation and route
// handlers as separate bundles, and PGlite allows one instance per data directory per process.
import { type Database, type DatabaseHandle, migrateDatabase, openDatabase } from "@/db/client";
import { env } from "@/server/env";
import { embeddedDatabaseDir } from "@/server/security/data-dir";

const globalForDb = globalThis as unknown as {
  __posturaDb?: DatabaseHandle;
  __posturaDbReady?: Promise<void>;
};

export function getDatabaseHandle(): DatabaseHandle {
  if (!globalForDb.__posturaDb) {
    globalForDb.__posturaDb = env.DATABASE_URL
      ? openDatabase({ url: env.DATABASE_URL })
      : openDatabase({ dataDir: embeddedDatabaseDir(env.DATA_DIR) });
  }
  return globalForDb.__posturaDb;
}

export function getDb(): Database {
  return getDatabaseHandle().db;
}

/**
 * Resolves once the schema is usable. Embedded mode applies migrations on start; with DATABASE_URL,
 * migrations are applied by `npm run db:migrate` (a deploy step), so this only opens the pool.
 */
export function databaseReady(): Promise<void> {
  if (!globalForDb.__posturaDbReady) {
    const handle = getDatabaseHandle();
    globalForDb.__posturaDbReady = handle.kind === "pglite" ? migrateDatabase(handle) : Promise.resolve();
  }
  return globalForDb.__posturaDbReady;
}

/** Test seam: use an already-open handle (a throwaway database) as the process database. */
export function setProcessDatabase(handle: DatabaseHandle): void {
  globalForDb.__posturaDb = handle;
  globalForDb.__posturaDbReady = Promise.resolve();
}
