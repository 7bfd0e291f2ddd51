// Shared by the bench scripts: throwaway PostgreSQL databases (created like test/global-setup.ts does), percentiles,
// the environment a Postura process needs, and child processes that must stop by themselves.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { migrateDatabase, openDatabase } from "@/db/client";
import { adminUrl, databaseUrl, ensurePostgresRunning } from "@/test/postgres-server";

export type ThrowawayDatabase = { name: string; url: string; drop(): Promise<void> };

/** A fresh database name and its URL on the local server (nothing created yet). */
export function newDatabase(prefix: string): { name: string; url: string } {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  return { name, url: databaseUrl(name) };
}

/**
 * CREATE DATABASE on the local server, migrated, with pg-boss's schema installed; drop() removes it. Set the
 * process environment (posturaEnv) first: installing pg-boss loads server/env.
 */
export async function createThrowawayDatabase(name: string): Promise<ThrowawayDatabase> {
  await ensurePostgresRunning();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = databaseUrl(name);
  const handle = openDatabase({ url }, { poolSize: 1 });
  try {
    await migrateDatabase(handle);
    const { createBoss, startBoss } = await import("@/server/jobs/boss");
    const boss = createBoss(handle);
    await startBoss(boss);
    await boss.stop({ graceful: false, close: true });
  } finally {
    await handle.close();
  }
  return {
    name,
    url,
    async drop() {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}

/**
 * BENCH_PG_LOG_MS: every statement of the database slower than this goes to PostgreSQL's log with its plan
 * (log_min_duration_statement, and auto_explain with ANALYZE loaded per session of this database only). Set it before
 * the bench opens its connections: the settings apply to sessions started after.
 */
export async function logSlowStatements(database: { name: string; url: string }): Promise<void> {
  const threshold = Number(process.env.BENCH_PG_LOG_MS);
  if (!process.env.BENCH_PG_LOG_MS || !Number.isFinite(threshold)) return;
  const admin = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`alter database "${database.name}" set log_min_duration_statement = ${threshold}`);
    await admin.unsafe(`alter database "${database.name}" set session_preload_libraries = 'auto_explain'`);
    await admin.unsafe(`alter database "${database.name}" set auto_explain.log_min_duration = ${threshold}`);
    await admin.unsafe(`alter database "${database.name}" set auto_explain.log_analyze = on`);
    // A page goes in as one JSON parameter of tens of MB: log its first bytes, not all of it.
    await admin.unsafe(`alter database "${database.name}" set log_parameter_max_length = 200`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  console.log(`slow statements (> ${threshold} ms) of database ${database.name} go to PostgreSQL's log`);
}

/** Environment for a Postura web or worker process on `databaseUrl` (fresh secrets per bench run). */
export function posturaEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY ?? randomBytes(32).toString("base64"),
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? randomBytes(32).toString("base64url"),
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(value < 100 ? 1 : 0)} ms` : "n/a";
}

export function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(2)} s`;
}

export function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

/** Waits for `check` to hold, polling every `everyMs`; throws after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs: number, everyMs = 100): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * `node --import tsx <script>`: one Node process (no tsx relay), so its pid is the process doing the work.
 * BENCH_NODE_ARGS adds Node flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the sync.
 */
export function spawnTsx(script: string, env: Record<string, string>, args: string[] = []): ChildProcess {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  return spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Runs a child that prints one JSON line starting with `{"result"` and exits; returns that object.
 * The child is SIGKILLed after `timeoutMs`.
 */
export async function runChildForResult<T>(script: string, env: Record<string, string>, timeoutMs: number): Promise<T> {
  const child = spawnTsx(script, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  clearTimeout(timer);
  const line = stdout.split("\n").find((l) => l.startsWith('{"result"'));
  if (code !== 0 || !line) {
    throw new Error(`${script} exited with ${code}${line ? "" : " and no result"}\n${stderr.slice(-4000)}\n${stdout.slice(-2000)}`);
  }
  return (JSON.parse(line) as { result: T }).result;
}

/** Rows of a drizzle `execute()` on either driver. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}

/**
 * `NEXT_DIST_DIR=<distDir> npx next build`, unless `--no-build` was given and a build is there. next build adds
 * its dist dir to tsconfig.json's include; the file is put back as it was.
 */
export function buildNext(distDir: string): void {
  if (process.argv.includes("--no-build") && existsSync(`${distDir}/BUILD_ID`)) return;
  console.log(`building into ${distDir} (NEXT_DIST_DIR=${distDir} npx next build)`);
  const tsconfig = readFileSync("tsconfig.json", "utf8");
  try {
    const build = spawnSync("npx", ["next", "build"], { env: { ...process.env, NEXT_DIST_DIR: distDir }, stdio: "inherit", timeout: 15 * 60_000 });
    if (build.status !== 0) throw new Error(`next build failed (${build.status})`);
  } finally {
    if (readFileSync("tsconfig.json", "utf8") !== tsconfig) writeFileSync("tsconfig.json", tsconfig);
  }
}

/**
 * The database half of a physical limit: the rows a run wrote (one company's, `where` each table) copied out and
 * COPYed into scratch copies of their tables, timed on the way in. Returns the time and the rows copied.
 */
export async function copyRowsLimit(
  databaseUrl: string,
  companyId: string,
  copyTables: readonly (readonly [table: string, where: string])[],
): Promise<{ ms: number; rows: number }> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let copyMs = 0;
  let copiedRows = 0;
  try {
    for (const [table, where] of copyTables) {
      const companyLiteral = `'${companyId.replace(/'/g, "")}'`;
      // Generated columns (search vectors) are computed by PostgreSQL on the way in, as for the run's inserts.
      const columnRows = await sql<{ column_name: string }[]>`
        select column_name from information_schema.columns
        where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER' order by ordinal_position`;
      const columns = columnRows.map((c) => `"${c.column_name}"`).join(", ");
      // Each COPY on its own connection: after a COPY TO STDOUT stream, postgres.js (3.4) does not resolve the
      // next query on the same connection.
      const reader = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      const chunks: Buffer[] = [];
      try {
        const out = await reader.unsafe(`copy (select ${columns} from ${table} where company_id = ${companyLiteral} and ${where}) to stdout`).readable();
        for await (const chunk of out) chunks.push(chunk as Buffer);
      } finally {
        await reader.end({ timeout: 1 });
      }
      const data = Buffer.concat(chunks);
      const lines = data.length === 0 ? 0 : data.toString("utf8").split("\n").length - 1;
      // Same columns, defaults, indexes and constraints (foreign keys aside) as the real table.
      await sql.unsafe(`create table bench_copy_${table} (like ${table} including all)`);
      const writer = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      await writer`select 1`; // connected before the clock starts
      const t0 = performance.now();
      try {
        const input = await writer.unsafe(`copy bench_copy_${table} (${columns}) from stdin`).writable();
        await pipeline(Readable.from([data]), input);
      } finally {
        await writer.end({ timeout: 1 });
      }
      const took = performance.now() - t0;
      copyMs += took;
      copiedRows += lines;
      console.log(`  ${table}: ${lines} rows, ${(data.length / 1048576).toFixed(1)} MiB in ${ms(took)}`);
      await sql.unsafe(`drop table bench_copy_${table}`);
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
  return { ms: copyMs, rows: copiedRows };
}
