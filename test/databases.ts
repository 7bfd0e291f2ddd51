// Throwaway databases for tests: a clone of the migrated template on the real PostgreSQL server, or an
// in-memory PGlite with the same migrations. Tests never mock our own database.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { type DatabaseHandle, migrateDatabase, openDatabase } from "@/db/client";
import { adminUrl, databaseUrl } from "./postgres-server";

export async function createPostgresTestDatabase(): Promise<DatabaseHandle> {
  const name = `${inject("runPrefix")}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${inject("templateDatabase")}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return openDatabase({ url: databaseUrl(name) }, { poolSize: 5 });
}

export async function createPgliteTestDatabase(): Promise<DatabaseHandle> {
  const handle = openDatabase({ memory: true });
  await migrateDatabase(handle);
  return handle;
}

export type TestEngine = "postgres" | "pglite";
export function createTestDatabase(engine: TestEngine): Promise<DatabaseHandle> {
  return engine === "postgres" ? createPostgresTestDatabase() : createPgliteTestDatabase();
}
