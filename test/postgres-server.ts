// Makes sure the local PostgreSQL server the tests use is up, starting the Debian cluster if it is down.
import { execSync } from "node:child_process";
import { readdirSync } from "node:fs";
import postgres from "postgres";

export const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function canConnect(): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function ensurePostgresRunning(): Promise<void> {
  if (await canConnect()) return;
  if (process.env.TEST_DATABASE_URL) {
    throw new Error(`Cannot connect to TEST_DATABASE_URL (${new URL(adminUrl).host}). Is PostgreSQL running?`);
  }
  const version = readdirSync("/etc/postgresql")[0];
  if (!version) throw new Error("PostgreSQL is not running and no Debian cluster was found under /etc/postgresql.");
  execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, { stdio: "inherit" });
  for (let i = 0; i < 30; i++) {
    if (await canConnect()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("PostgreSQL did not accept connections after starting the cluster.");
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
