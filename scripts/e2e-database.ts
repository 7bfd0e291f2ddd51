// What the end-to-end servers on PostgreSQL share: a throwaway database named by E2E_DATABASE_NAME, made anew on
// each start, and `next start` as a child that the server script stops and follows.
import { spawn } from "node:child_process";
import path from "node:path";
import postgres from "postgres";

/** Drops and creates E2E_DATABASE_NAME on TEST_DATABASE_URL's server; returns its connection URL. */
export async function recreateE2eDatabase(): Promise<string> {
  const name = process.env.E2E_DATABASE_NAME;
  const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("E2E_DATABASE_NAME must be set to a plain database name");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Serves the production build on PORT (or `defaultPort`); signals go to it, and its exit ends this process. */
export function startNextServer(env: NodeJS.ProcessEnv, defaultPort: number, beforeExit: () => Promise<void> = async () => {}) {
  const next = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const server = spawn(process.execPath, [next, "start", "-p", String(process.env.PORT ?? defaultPort)], { stdio: "inherit", env });
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  server.on("exit", async (code) => {
    await beforeExit();
    process.exit(code ?? 0);
  });
}
