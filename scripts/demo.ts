// `npm run demo`: the whole product on one machine with no set-up. Applies migrations to the embedded
// database, seeds the demo company, starts the Salt Security and Snapsec VM simulators, builds, and serves the production
// build on http://127.0.0.1:3000 (PORT and HOST override). Run it again and the data is still there.
// It listens on loopback only unless HOST says otherwise: the demo accounts' password is public.
//   --skip-build   serve the existing build (used by the end-to-end tests, which build once)
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { demoHost, demoListeningMessage } from "./demo-host";

process.env.DEMO_MODE ??= "true";
const skipBuild = process.argv.includes("--skip-build");

async function main() {
  const { env } = await import("@/server/env");
  const { migrateDatabase, openDatabase } = await import("@/db/client");
  const { seedDemo } = await import("@/server/demo-seed");
  const { embeddedDatabaseDir } = await import("@/server/security/data-dir");

  const handle = env.DATABASE_URL
    ? openDatabase({ url: env.DATABASE_URL }, { poolSize: 1 })
    : openDatabase({ dataDir: embeddedDatabaseDir(env.DATA_DIR) });
  await migrateDatabase(handle);
  const { created } = await seedDemo(handle.db);
  // PGlite allows one process per data directory: close it before the server opens it.
  await handle.close();
  console.log(created ? "Seeded the demo company." : "Demo company already present; keeping its data.");

  const childEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_MANUAL_SIG_HANDLE: "true" };
  const simulator = await startSimulatorIfAvailable(childEnv);

  if (!skipBuild) {
    const build = spawnSync(process.execPath, [nextBin(), "build"], { stdio: "inherit", env: childEnv });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const host = demoHost(env.HOST);
  const server = spawn(process.execPath, [nextBin(), "start", "-p", String(env.PORT), "-H", host], { stdio: "inherit", env: childEnv });
  console.log(demoListeningMessage(host, env.PORT));
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  server.on("exit", async (code) => {
    await simulator?.close();
    process.exit(code ?? 0);
  });
}

function nextBin(): string {
  return path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
}

/** Starts the Salt Security and Snapsec VM simulators in this process and points the server at them. */
async function startSimulatorIfAvailable(childEnv: NodeJS.ProcessEnv): Promise<{ close(): Promise<void> } | null> {
  const { startDemoSimulator, startDemoVmSimulator } = await import("./demo-simulator");
  const simulators = [await startDemoSimulator(childEnv), await startDemoVmSimulator(childEnv)];
  return { close: async () => void (await Promise.all(simulators.map((s) => s.close()))) };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
