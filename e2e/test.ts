// Every spec's `test` and `expect`. Each test fails on a browser console error, an uncaught error in the page,
// or a server error its e2e server wrote to stderr while the test ran (scripts/e2e-server.mjs keeps a copy).
// A test that provokes one on purpose says so: `test.use({ expectedErrors: [/…/] })`.
import { readFileSync, statSync } from "node:fs";
import { test as base, expect, type TestInfo } from "@playwright/test";
import { serverLogFile } from "./server-log";

export { expect };
export type { Locator, Page } from "@playwright/test";

function serverLogOf(info: TestInfo): string {
  return serverLogFile(new URL(String(info.project.use.baseURL)).port);
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * What counts as a server error: anything on stderr except warnings (our JSON log lines below "error", such as
 * a refused webhook, and libraries' "WARN" / "⚠" lines, such as better-auth's "Invalid password") and blank
 * lines. Next.js error reports, stack traces and `{"level":"error"}` lines all count.
 */
function serverErrorsIn(text: string): string[] {
  return text
    .replace(/\x1b\[[0-9;]*m/g, "") // colours
    .split("\n")
    .filter((line) => line.trim() !== "")
    .filter((line) => !/^\S+ WARN\b|^\s*⚠/.test(line))
    .filter((line) => {
      try {
        const entry = JSON.parse(line) as { level?: unknown };
        return entry.level === "error";
      } catch {
        return true;
      }
    })
    .map((line) => `server stderr: ${line}`);
}

export const test = base.extend<{ expectedErrors: RegExp[]; failOnErrors: void }>({
  expectedErrors: [[], { option: true }],
  failOnErrors: [
    async ({ context, expectedErrors }, use, info) => {
      const errors: string[] = [];
      context.on("console", (message) => {
        if (message.type() !== "error") return;
        // "Failed to load resource" names no resource in its text; its location does.
        const at = message.location().url;
        errors.push(`console error on ${message.page()?.url() ?? "a page"}: ${message.text()}${at ? ` (${at})` : ""}`);
      });
      context.on("weberror", (webError) => {
        const error = webError.error();
        errors.push(`uncaught in ${webError.page()?.url() ?? "a page"}: ${error.stack ?? error.message}`);
      });
      const logFile = serverLogOf(info);
      const start = sizeOf(logFile);

      await use();

      const end = sizeOf(logFile);
      if (end > start) errors.push(...serverErrorsIn(readFileSync(logFile).subarray(start, end).toString("utf8")));
      const unexpected = errors.filter((e) => !expectedErrors.some((pattern) => pattern.test(e)));
      expect(unexpected, "errors in the browser or on the server while this test ran").toEqual([]);
    },
    { auto: true },
  ],
});
