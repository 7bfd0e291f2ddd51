// `npm run bench:lighthouse`: Lighthouse (npm package) in Debian's Chromium on the FQDNs page and the Salt wizard's
// first step, signed in as an admin of a company with realistic data (200 FQDNs, ~20,000 APIs, ~60,000 issues),
// served by `next start` from the .next-bench production build on a throwaway PostgreSQL database.
//   npm run bench:lighthouse [-- --no-build]    (--no-build reuses an existing .next-bench)
// Desktop preset (Lighthouse's desktop config: no CPU slowdown beyond 1x, fast network). Prints the scores.
import { spawn, type ChildProcess } from "node:child_process";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { buildNext, createThrowawayDatabase, newDatabase, posturaEnv, seconds, sleep, waitFor } from "./lib";

const PORT = Number(process.env.BENCH_LIGHTHOUSE_PORT ?? 3401);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const DIST_DIR = ".next-bench";
const CHROME_PATH = process.env.CHROME_PATH ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PAGES: [string, string][] = [
  ["FQDNs (risk desc, page 1)", "/assets/fqdns"],
  ["Connect Salt Security, step 1 (credentials)", "/integrations/salt-security/connect?step=credentials"],
];
const CATEGORIES = ["performance", "accessibility", "best-practices"] as const;

async function main() {
  const started = Date.now();
  const planned = newDatabase("postura_lh");
  const env = posturaEnv(planned.url, { RUN_WORKER: "off", PORT: String(PORT), APP_URL: ORIGIN });
  Object.assign(process.env, env);

  buildNext(DIST_DIR);

  const database = await createThrowawayDatabase(planned.name);
  const { openDatabase } = await import("@/db/client");
  const { seedCompany, TEST_PASSWORD } = await import("@/test/fixtures");
  const { seedInventory } = await import("@/test/seed-inventory");
  const handle = openDatabase({ url: database.url }, { poolSize: 2 });
  let server: ChildProcess | null = null;
  let chrome: chromeLauncher.LaunchedChrome | null = null;
  try {
    const { company, members } = await seedCompany(handle, "Lighthouse Co");
    const seeded = await seedInventory(handle.db, { companyId: company.id, fqdns: 200, apisPerFqdn: 100, issuesPerApi: 3, seed: 3 });
    console.log(`seeded ${seeded.domainIds.length} FQDNs, ${seeded.apiCount} APIs, ${seeded.issueCount} issues`);

    server = spawn("npx", ["next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
      env: { ...process.env, ...env, NEXT_DIST_DIR: DIST_DIR, NEXT_MANUAL_SIG_HANDLE: "true" },
      stdio: "ignore",
      detached: true,
    });
    await waitFor(
      async () => {
        try {
          return (await fetch(`${ORIGIN}/sign-in`)).ok;
        } catch {
          return false;
        }
      },
      "next start",
      60_000,
      250,
    );
    const signIn = await fetch(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({ email: members.admin.email, password: TEST_PASSWORD }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    // Warm each page once so the first measured load is not the server's first render.
    for (const [, path] of PAGES) await (await fetch(`${ORIGIN}${path}`, { headers: { cookie } })).text();

    chrome = await chromeLauncher.launch({
      chromePath: CHROME_PATH,
      chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
    const results: { page: string; scores: Record<string, number>; metrics: Record<string, string> }[] = [];
    for (const [name, path] of PAGES) {
      const run = await lighthouse(
        `${ORIGIN}${path}`,
        { port: chrome.port, output: "json", logLevel: "error", onlyCategories: [...CATEGORIES], extraHeaders: { cookie } },
        desktopConfig,
      );
      if (!run) throw new Error(`no Lighthouse result for ${path}`);
      const { lhr } = run;
      if (lhr.runtimeError) throw new Error(`${path}: ${lhr.runtimeError.message}`);
      if (!lhr.finalDisplayedUrl.includes(path.split("?")[0]!)) throw new Error(`${path} ended at ${lhr.finalDisplayedUrl} (not signed in?)`);
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
      const metric = (id: string) => lhr.audits[id]?.displayValue ?? "n/a";
      const failing = CATEGORIES.filter((c) => c !== "performance").flatMap((c) =>
        (lhr.categories[c]?.auditRefs ?? [])
          .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
          .map((ref) => `${c}: ${ref.id}`),
      );
      results.push({
        page: name,
        scores,
        metrics: { FCP: metric("first-contentful-paint"), LCP: metric("largest-contentful-paint"), TBT: metric("total-blocking-time"), CLS: metric("cumulative-layout-shift") },
      });
      if (failing.length > 0) console.log(`${name}: failing audits — ${failing.join(", ")}`);
      const consoleErrors = (lhr.audits["errors-in-console"]?.details as { items?: { description?: string; url?: string }[] } | undefined)?.items ?? [];
      for (const item of consoleErrors.slice(0, 5)) console.log(`  console error: ${item.description?.slice(0, 200)} (${item.url ?? ""})`);
    }

    console.log(`\n${"page".padEnd(46)} perf  a11y  best-practices  FCP / LCP / TBT / CLS`);
    for (const r of results) {
      console.log(
        `${r.page.padEnd(46)} ${String(r.scores.performance).padStart(4)}  ${String(r.scores.accessibility).padStart(4)}  ${String(r.scores["best-practices"]).padStart(14)}  ${r.metrics.FCP} / ${r.metrics.LCP} / ${r.metrics.TBT} / ${r.metrics.CLS}`,
      );
    }
    console.log(`\nfinished in ${seconds(Date.now() - started)} (Lighthouse desktop preset, ${CHROME_PATH})`);
  } finally {
    if (chrome) chrome.kill();
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
        await sleep(2000);
        process.kill(-server.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await handle.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
