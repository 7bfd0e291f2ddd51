// A bad environment stops the process at start-up with a message that says what to fix.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function loadEnv(vars: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", "await import('./server/env.ts'); console.log('ok')"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...vars } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("environment validation", () => {
  it("accepts the embedded defaults", () => {
    expect(loadEnv({}).output).toContain("ok");
  });

  it("names a malformed DATABASE_URL", () => {
    const { status, output } = loadEnv({ DATABASE_URL: "mysql://nope" });
    expect(status).not.toBe(0);
    expect(output).toContain("DATABASE_URL: must be a postgres:// or postgresql:// connection string");
  });

  it("refuses DATABASE_URL without an encryption key", () => {
    const { status, output } = loadEnv({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/x" });
    expect(status).not.toBe(0);
    expect(output).toContain("APP_ENCRYPTION_KEY is required when DATABASE_URL is set");
  });

  it("refuses an encryption key of the wrong length", () => {
    const { status, output } = loadEnv({ APP_ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") });
    expect(status).not.toBe(0);
    expect(output).toContain("APP_ENCRYPTION_KEY: must be 32 random bytes");
  });
});
