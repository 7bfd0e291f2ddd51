// Dev tool: screenshots of pages for a person to look at. Usage:
//   node scripts/screenshot.mjs <baseURL> <engine-role|-> <out-dir> <path> [<path> ...]
// <engine-role> names a session saved by the e2e setup, e.g. postgres-analyst (e2e/.auth/postgres-analyst.json).
import { chromium } from "@playwright/test";

const [baseURL, role, outDir, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const context = await browser.newContext({
  baseURL,
  viewport: { width: 1280, height: 800 },
  storageState: role && role !== "-" ? `e2e/.auth/${role}.json` : undefined,
});
const page = await context.newPage();
for (const p of paths) {
  await page.goto(p, { waitUntil: "networkidle" });
  const file = `${outDir}/${(p.replace(/[^a-z0-9]+/gi, "_") || "root").replace(/^_/, "")}.png`;
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}
await browser.close();
