// End-to-end tests in Debian's Chromium against the production build, on both engines:
//   embedded: `npm run demo` as a person would run it (PGlite, fresh data dir, Salt simulator in-process)
//   postgres: the same build on a throwaway PostgreSQL database, worker inline
//   fresh:    the same build on an empty PostgreSQL database (no company, no user) for the first-run journey
// Specs run against both unless their file name says otherwise (*.embedded.spec.ts / *.postgres.spec.ts);
// *.fresh.spec.ts run only against the fresh install.
import { defineConfig, devices } from "@playwright/test";
import { serverLogFile } from "./e2e/server-log";

const embeddedPort = Number(process.env.E2E_PORT ?? 3100);
const postgresPort = embeddedPort + 1;
const freshPort = embeddedPort + 2;
export const e2eDatabaseName = `postura_e2e_${postgresPort}`;
const freshDatabaseName = `postura_e2e_fresh_${freshPort}`;
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const e2eDatabaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${e2eDatabaseName}` }).toString();
process.env.E2E_DATABASE_URL = e2eDatabaseUrl;
process.env.E2E_FRESH_DATABASE_URL = Object.assign(new URL(adminUrl), { pathname: `/${freshDatabaseName}` }).toString();

const chromium = {
  ...devices["Desktop Chrome"],
  viewport: { width: 1280, height: 800 },
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  },
};
// Every spec signs in from 127.0.0.1, two at a time, for minutes on end: far more than a person's 30 a minute
// (the limit itself is tested in test/sign-in-guard.test.ts).
const serverEnv = { DEMO_MODE: "true", NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn", SIGN_IN_LIMIT_PER_MINUTE: "10000" };

export default defineConfig({
  testDir: "./e2e",
  // Per port, so two runs side by side (say, two engineers) do not clean up each other's artifacts.
  outputDir: `./test-results/${embeddedPort}`,
  fullyParallel: false,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  // A hang limit, not a speed check: on a slow 2-core machine with both workers, plain journeys took up to 45 s.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: { trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    {
      name: "setup-embedded",
      testMatch: /auth\.setup\.ts/,
      use: { ...chromium, baseURL: `http://localhost:${embeddedPort}` },
      metadata: { engine: "embedded" },
    },
    {
      name: "setup-postgres",
      testMatch: /auth\.setup\.ts/,
      use: { ...chromium, baseURL: `http://localhost:${postgresPort}` },
      metadata: { engine: "postgres" },
    },
    {
      name: "embedded",
      testIgnore: /\.(postgres|fresh)\.spec\.ts$/,
      testMatch: /\.spec\.ts$/,
      use: { ...chromium, baseURL: `http://localhost:${embeddedPort}` },
      metadata: { engine: "embedded" },
      dependencies: ["setup-embedded"],
    },
    {
      name: "postgres",
      testIgnore: /\.(embedded|fresh)\.spec\.ts$/,
      testMatch: /\.spec\.ts$/,
      use: { ...chromium, baseURL: `http://localhost:${postgresPort}` },
      metadata: { engine: "postgres" },
      dependencies: ["setup-postgres"],
    },
    {
      name: "fresh",
      testMatch: /\.fresh\.spec\.ts$/,
      use: { ...chromium, baseURL: `http://localhost:${freshPort}` },
      metadata: { engine: "fresh" },
    },
  ],
  webServer: [
    {
      // The production build is made once by `npm test` before this; a fresh embedded database per run.
      // Each server through scripts/e2e-server.mjs, which keeps its stderr for e2e/test.ts to fail on server errors.
      command: `node scripts/e2e-server.mjs ${serverLogFile(embeddedPort)} -- "rm -rf .data-e2e-${embeddedPort} && node --import tsx scripts/demo.ts --skip-build"`,
      url: `http://localhost:${embeddedPort}/sign-in`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        ...serverEnv,
        PORT: String(embeddedPort),
        DATA_DIR: `.data-e2e-${embeddedPort}`,
        SALT_SIM_PORT: String(embeddedPort + 1000),
        VM_SIM_PORT: String(embeddedPort + 2000),
      },
    },
    {
      command: `node scripts/e2e-server.mjs ${serverLogFile(postgresPort)} -- node --import tsx scripts/e2e-postgres-server.ts`,
      url: `http://localhost:${postgresPort}/sign-in`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        ...serverEnv,
        PORT: String(postgresPort),
        SALT_SIM_PORT: String(postgresPort + 1000),
        VM_SIM_PORT: String(postgresPort + 2000),
        DATA_DIR: `.data-e2e-pg-${postgresPort}`,
        E2E_DATABASE_NAME: e2eDatabaseName,
        APP_URL: `http://localhost:${postgresPort}`,
        APP_ENCRYPTION_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        BETTER_AUTH_SECRET: "e2e-only-secret-not-for-production-use-0123456789",
      },
    },
    {
      command: `node scripts/e2e-server.mjs ${serverLogFile(freshPort)} -- node --import tsx scripts/e2e-fresh-server.ts`,
      url: `http://localhost:${freshPort}/setup`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
        SIGN_IN_LIMIT_PER_MINUTE: "10000",
        PORT: String(freshPort),
        DATA_DIR: `.data-e2e-fresh-${freshPort}`,
        E2E_DATABASE_NAME: freshDatabaseName,
        APP_URL: `http://localhost:${freshPort}`,
        APP_ENCRYPTION_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        BETTER_AUTH_SECRET: "e2e-only-secret-not-for-production-use-0123456789",
      },
    },
  ],
});
