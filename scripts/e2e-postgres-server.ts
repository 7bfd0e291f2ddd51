// The end-to-end tests' second server: Postura on real PostgreSQL (a throwaway database named by
// E2E_DATABASE_NAME), with the worker inline, so browser journeys run on both engines.
import { spawn } from "node:child_process";
import path from "node:path";
import postgres from "postgres";

async function main() {
  const name = process.env.E2E_DATABASE_NAME;
  const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("E2E_DATABASE_NAME must be set to a plain database name");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();

  const { migrateDatabase, openDatabase } = await import("@/db/client");
  const { seedDemo } = await import("@/server/demo-seed");
  const { seedSyncedCompany } = await import("@/server/synced-demo-seed");
  const { createBoss, startBoss } = await import("@/server/jobs/boss");
  const { SIMULATOR_KEYS } = await import("../tools/salt-simulator");

  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url.toString(), RUN_WORKER: "inline", NEXT_MANUAL_SIG_HANDLE: "true" };
  const { startDemoSimulator } = await import("./demo-simulator");
  const simulator = await startDemoSimulator(childEnv);

  const handle = openDatabase({ url: url.toString() }, { poolSize: 2 });
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  // Globex: connected to the simulator with two domains; the server's worker runs their first syncs.
  const boss = createBoss(handle);
  await startBoss(boss);
  const hosts = simulator.hosts.slice(0, 2);
  await seedSyncedCompany(handle.db, { apiKey: SIMULATOR_KEYS.usFull.key, hosts, boss });
  await boss.stop({ graceful: false, close: true });
  await handle.close();
  const next = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const server = spawn(process.execPath, [next, "start", "-p", String(process.env.PORT ?? 3101)], { stdio: "inherit", env: childEnv });
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  server.on("exit", async (code) => {
    await simulator?.close();
    process.exit(code ?? 0);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
