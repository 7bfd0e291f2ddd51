// The end-to-end tests' fresh install: Postura on an empty, migrated PostgreSQL database (E2E_DATABASE_NAME)
// with no company and no user, as a team would first start it — so the setup screen is what a browser sees.
import { recreateE2eDatabase, startNextServer } from "./e2e-database";

async function main() {
  const url = await recreateE2eDatabase();

  // What an operator does: migrate, then start. No seed.
  const { migrateDatabase, openDatabase } = await import("@/db/client");
  const handle = openDatabase({ url }, { poolSize: 1 });
  await migrateDatabase(handle);
  await handle.close();

  startNextServer({ ...process.env, DATABASE_URL: url, RUN_WORKER: "inline", NEXT_MANUAL_SIG_HANDLE: "true" }, 3102);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
