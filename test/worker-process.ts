// A worker process exactly as `npm run worker` starts it, against a test's PostgreSQL database, for the tests that
// kill workers with SIGKILL (crash recovery of syncs and of forwarding).
import { type ChildProcess, spawn } from "node:child_process";
import type { DatabaseHandle } from "@/db/client";
import { getSecretsConfig } from "@/server/security/local-secrets";

export type WorkerProcess = { process: ChildProcess; started: Promise<void> };

const running = new Set<ChildProcess>();

/** Starts `server/jobs/worker-main.ts`; `started` resolves once it logs "worker started". */
export function startWorker(handle: DatabaseHandle, env: Record<string, string> = {}): WorkerProcess {
  if (handle.kind !== "postgres") throw new Error("worker processes need PostgreSQL");
  const secrets = getSecretsConfig();
  const child = spawn(process.execPath, ["--import", "tsx", "server/jobs/worker-main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: handle.url,
      APP_ENCRYPTION_KEY: secrets.encryptionKey,
      BETTER_AUTH_SECRET: secrets.authSecret,
      LOG_LEVEL: "info",
      NODE_ENV: "production",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  running.add(child);
  child.on("exit", () => running.delete(child));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes('"worker started"')) resolve();
    });
    child.on("exit", (code) => reject(new Error(`worker exited with ${code} before starting`)));
  });
  started.catch(() => {});
  return { process: child, started };
}

/** SIGKILL, resolved once the process is gone. */
export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** For afterAll: no worker outlives its test file. */
export function killAllWorkers(): void {
  for (const child of running) child.kill("SIGKILL");
}

/** A deterministic sequence in [0, 1), so kills land at the same offsets every run. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
