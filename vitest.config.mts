import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next*/**", "e2e/**", ".data*/**"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Sync and queue logs are noise in test output; failures still print.
    // Write-backs are due at once; tests of the undo window pass their own delay.
    env: { LOG_LEVEL: "warn", STATUS_UNDO_SECONDS: "0" },
  },
});
