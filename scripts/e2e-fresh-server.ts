// The end-to-end tests' fresh install: Postura on an empty, migrated PostgreSQL database (E2E_DATABASE_NAME)
// with no company and no user, as a team would first start it — so the setup screen is what a browser sees.
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

  // What an operator does: migrate, then start. No seed.
  const { migrateDatabase, openDatabase } = await import("@/db/client");
  const handle = openDatabase({ url: url.toString() }, { poolSize: 1 });
  await migrateDatabase(handle);
  await handle.close();

  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url.toString(), RUN_WORKER: "inline", NEXT_MANUAL_SIG_HANDLE: "true" };
  const next = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const server = spawn(process.execPath, [next, "start", "-p", String(process.env.PORT ?? 3102)], { stdio: "inherit", env: childEnv });
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
