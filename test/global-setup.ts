// Vitest global setup: one migrated template database per run; each test file clones it (fast) so files
// run in parallel without seeing each other's rows. Everything is dropped at the end.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../db/client";
import { adminUrl, databaseUrl, ensurePostgresRunning } from "./postgres-server";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    runPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  await ensurePostgresRunning();
  const runPrefix = `postura_t${randomBytes(4).toString("hex")}`;
  const template = `${runPrefix}_tpl`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${template}"`);
  const handle = openDatabase({ url: databaseUrl(template) }, { poolSize: 1 });
  await migrateDatabase(handle);
  // Install pg-boss's schema once here instead of in every cloned database.
  const { createBoss, startBoss } = await import("../server/jobs/boss");
  const boss = createBoss(handle);
  await startBoss(boss);
  await boss.stop({ graceful: false, close: true });
  await handle.close();
  project.provide("templateDatabase", template);
  project.provide("runPrefix", runPrefix);

  return async () => {
    const names = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${runPrefix + "%"}`;
    for (const { datname } of names) {
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
    await admin.end({ timeout: 5 });
  };
}
