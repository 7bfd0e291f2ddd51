// The end-to-end tests' second server: Postura on real PostgreSQL (a throwaway database named by
// E2E_DATABASE_NAME), with the worker inline, so browser journeys run on both engines.
import { recreateE2eDatabase, startNextServer } from "./e2e-database";

async function main() {
  const url = await recreateE2eDatabase();
  process.env.DATABASE_URL = url;

  const { migrateDatabase, openDatabase } = await import("@/db/client");
  const { seedDemo } = await import("@/server/demo-seed");
  const { seedSyncedCompany } = await import("@/server/synced-demo-seed");
  const { createBoss, startBoss } = await import("@/server/jobs/boss");
  const { SIMULATOR_KEYS } = await import("../tools/salt-simulator");

  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, RUN_WORKER: "inline", NEXT_MANUAL_SIG_HANDLE: "true" };
  const { startDemoSimulator, startDemoVmSimulator } = await import("./demo-simulator");
  const simulator = await startDemoSimulator(childEnv);
  const vmSimulator = await startDemoVmSimulator(childEnv);

  const handle = openDatabase({ url }, { poolSize: 2 });
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  // Globex: connected to the simulator with two domains; the server's worker runs their first syncs.
  const boss = createBoss(handle);
  await startBoss(boss);
  const hosts = simulator.hosts.slice(0, 2);
  await seedSyncedCompany(handle.db, { apiKey: SIMULATOR_KEYS.usFull.key, hosts, boss });
  await boss.stop({ graceful: false, close: true });
  await handle.close();
  startNextServer(childEnv, 3101, async () => {
    await simulator?.close();
    await vmSimulator?.close();
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
