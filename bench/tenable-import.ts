// `npm run bench:tenable`: the Tenable.io connector import measured against its physical limit, on real PostgreSQL,
// in this process (peak RSS sampled), with the Tenable simulator over loopback HTTP in a child process (`npm run
// tenable:sim`), so the RSS is the import's own.
//
//   1. first import of 5,000 assets × 20 findings (100,000) — wall time, findings/s, peak RSS
//   2. unchanged re-import: time, peak RSS and rows written (asset, issue and history rows stamped since it started)
//   3. the physical limit: the same export fetched chunk by chunk with no processing, plus PostgreSQL COPYing the
//      rows the import wrote (host assets, issues, history) into scratch copies of their tables — and import / limit
//
// BENCH_SCALE=small runs a tenth of the data (a smoke run), BENCH_SCALE=2x twice the data (10,000 assets, 200,000
// findings: does the peak RSS stay flat as the export grows?). BENCH_PG_LOG_MS=<ms> logs slower statements with their
// plans to PostgreSQL's log (bench/lib.ts logSlowStatements).
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { copyRowsLimit, createThrowawayDatabase, logSlowStatements, newDatabase, posturaEnv, rowsOf, seconds, spawnTsx } from "./lib";

const SMALL = process.env.BENCH_SCALE === "small";
const DOUBLE = process.env.BENCH_SCALE === "2x";
const SCALE = { assets: SMALL ? 500 : DOUBLE ? 10_000 : 5000, findingsPerAsset: 20 };
const TARGETS = { findingsPerSecond: 10_000, limitRatio: 3, rssMb: 400 };

async function main() {
  const planned = newDatabase("postura_bench_tenable");
  Object.assign(process.env, posturaEnv(planned.url));
  const database = await createThrowawayDatabase(planned.name);
  await logSlowStatements(database);
  // Imported after the environment is in place: server/env validates it on import.
  const { openDatabase } = await import("@/db/client");
  const { createCompany } = await import("@/db/queries/companies");
  const { integrations } = await import("@/db/schema");
  const { encryptTenableKeys } = await import("@/server/integrations/tenable/integration-client");
  const { createTenableClient } = await import("@/server/integrations/tenable");
  const { runHostImport } = await import("@/server/sync/host-import");
  const { openConnectorSource } = await import("@/server/sync/sources");
  const { TENABLE_KEYS } = await import("@/tools/tenable-simulator");
  const handle = openDatabase({ url: database.url }, { poolSize: 4 });
  if (handle.kind !== "postgres") throw new Error("unreachable");
  const simulator = spawnTsx("tools/tenable-simulator/main.ts", {}, ["--port", "0", "--seed", "42", "--assets", String(SCALE.assets), "--findings-per-asset", String(SCALE.findingsPerAsset)]);
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    simulator.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Base URL:\s+(\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    simulator.on("exit", (code) => reject(new Error(`the Tenable simulator exited with ${code}`)));
  });
  const sim = { baseUrl, keys: TENABLE_KEYS };
  const poll = { initialDelayMs: 20, maxDelayMs: 200 };
  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapTotal);
  }, 50);
  try {
    const company = await createCompany(handle.db, { name: "Bench" });
    const [connector] = await handle.db
      .insert(integrations)
      .values({ companyId: company.id, kind: "tenable_io", state: "connected", credentialsEncrypted: encryptTenableKeys(sim.keys.admin), baseUrl: sim.baseUrl })
      .returning();
    const deps = { openSource: (row: typeof connector, context: Parameters<typeof openConnectorSource>[1]) => openConnectorSource(row!, context, { poll }) };
    const run = () => runHostImport(handle.db, { companyId: company.id, integrationId: connector!.id, runId: randomUUID(), trigger: "manual" }, deps);
    // Every write of the import stamps updated_at (history rows created_at): rows touched since a moment are the
    // rows written. (pg_stat counters arrive late: a backend flushes them only after idling.)
    const writtenSince = async (since: Date) => {
      const [row] = rowsOf<{ n: string }>(
        await handle.sql`select ((select count(*) from assets where updated_at >= ${since.toISOString()}::timestamptz)
          + (select count(*) from issues where updated_at >= ${since.toISOString()}::timestamptz)
          + (select count(*) from status_history where created_at >= ${since.toISOString()}::timestamptz))::text as n`,
      );
      return Number(row?.n ?? 0);
    };

    const load = () => loadavg().map((l) => l.toFixed(2)).join(" / ");
    console.log(`load average (1/5/15 min) at the start: ${load()}`);
    console.log(`Tenable import bench — ${SCALE.assets} assets × ${SCALE.findingsPerAsset} findings${SMALL ? " (small)" : DOUBLE ? " (2x)" : ""}`);
    const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
    peakRss = 0;
    peakHeap = 0;
    let t = performance.now();
    const first = await run();
    const importMs = performance.now() - t;
    const findings = first.counts.issuesCreated + first.counts.issuesUpdated + first.counts.issuesUnchanged;
    const perSecond = findings / (importMs / 1000);
    const rssMb = peakRss / 1024 / 1024;
    const heapMb = peakHeap / 1024 / 1024;

    // Before the limit: its COPY buffers 100+ MB in this process, which RSS keeps after it is freed.
    const reimportStarted = new Date();
    peakRss = 0;
    t = performance.now();
    const again = await run();
    const againMs = performance.now() - t;
    const againRssMb = peakRss / 1024 / 1024;
    const rowsWritten = await writtenSince(reimportStarted);

    t = performance.now();
    let read = 0;
    const client = createTenableClient({ baseUrl: sim.baseUrl, ...sim.keys.admin, poll });
    for await (const chunk of client.exportVulns({ window: "unlimited" })) read += chunk.findings.length;
    const readMs = performance.now() - t;
    const copied = await copyRowsLimit(database.url, company.id, [
      ["assets", `asset_type = 'host'`],
      ["issues", "true"],
      ["status_history", "true"],
    ]);
    const limitMs = readMs + copied.ms;

    const lines = [
      [`first import (${first.state})`, `${findings} findings in ${seconds(importMs)} = ${Math.round(perSecond)} findings/s`, `≥ ${TARGETS.findingsPerSecond}`, perSecond >= TARGETS.findingsPerSecond],
      ["physical limit: every chunk fetched, no processing", `${read} findings in ${seconds(readMs)}`, null, null],
      ["physical limit: COPY of the rows written", `${copied.rows} rows in ${seconds(copied.ms)}`, null, null],
      ["import / limit (fetch + COPY)", `${(importMs / limitMs).toFixed(1)}× (limit ${seconds(limitMs)})`, `≤ ${TARGETS.limitRatio}×`, importMs / limitMs <= TARGETS.limitRatio],
      ["peak RSS during the first import (the importing process)", `${Math.round(rssMb)} MB (${Math.round(rssBeforeMb)} MB before it; V8 heap at most ${Math.round(heapMb)} MB)`, `< ${TARGETS.rssMb} MB`, rssMb < TARGETS.rssMb],
      ["peak RSS during the unchanged re-import", `${Math.round(againRssMb)} MB`, `< ${TARGETS.rssMb} MB`, againRssMb < TARGETS.rssMb],
      [`unchanged re-import (${again.state})`, `${seconds(againMs)}, ${rowsWritten} asset/issue/history rows written`, "0 rows", rowsWritten === 0],
    ] as const;
    console.log(`load average (1/5/15 min) at the end: ${load()}`);
    for (const [measure, value, target, ok] of lines) {
      console.log(`  ${measure}: ${value}${target === null ? "" : ` (target ${target})${ok ? "  ok" : "  MISSED"}`}`);
    }
  } finally {
    clearInterval(sampler);
    simulator.kill("SIGTERM");
    await handle.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
