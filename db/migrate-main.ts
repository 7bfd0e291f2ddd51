// `npm run db:migrate`: applies committed migrations to DATABASE_URL, or to the embedded database.
import { migrateDatabase, openDatabase } from "./client";
import { env } from "@/server/env";
import { embeddedDatabaseDir } from "@/server/security/data-dir";

async function main() {
  const handle = env.DATABASE_URL
    ? openDatabase({ url: env.DATABASE_URL }, { poolSize: 1 })
    : openDatabase({ dataDir: embeddedDatabaseDir(env.DATA_DIR) });
  await migrateDatabase(handle);
  await handle.close();
  console.log(`Migrations applied to ${env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `the embedded database in ${env.DATA_DIR}`}.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
