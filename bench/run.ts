// `npm run bench`: the inbound sync measured against its physical limit, in one run on real PostgreSQL, with the
// Salt simulator over loopback HTTP. Prints a table; exits non-zero only when it could not run.
//
//   1. full first sync of 200 hosts / 20,000 endpoints / 100,000 posture gaps (through the real queue and worker,
//      in a child process whose peak RSS is sampled) — wall time, gaps/s
//   2. the physical limit: every page fetched with no processing + PostgreSQL COPYing the same rows into scratch
//      copies of the same tables (same indexes) — and sync / limit
//   3. unchanged re-sync: time and rows written (pg_stat_user_tables deltas), then a re-sync after 1 % of the
//      posture gaps changed in Salt (status or severity), against the unchanged one
//   4. webhook -> domain re-synced -> issue status visible, for a domain with 500 endpoints / 2,500 gaps
//   5. list queries at 200 FQDNs / 100k APIs / 300k issues (bench/list-queries.ts)
//
//   6. with BENCH_PGLITE=1: steps 1–3 again on embedded PGlite (bench/pglite-child.ts), beside PostgreSQL's;
//      BENCH_PGLITE_HOSTS=n runs it on the first n hosts only (a smaller stated scale)
//
// BENCH_SCALE=small runs the same steps on a tenth of the data (a smoke run), BENCH_SCALE=10x on ten times it
// (1,000,000 gaps); BENCH_SKIP_LISTS=1 skips step 5.
import { type ChildProcess, spawn } from "node:child_process";
import { type ThrowawayDatabase, copyRowsLimit, createThrowawayDatabase, logSlowStatements, ms, newDatabase, percentile, posturaEnv, runChildForResult, seconds, sleep, spawnTsx, waitFor } from "./lib";

const SMALL = process.env.BENCH_SCALE === "small";
// 10x: the 1,000,000-gap run of the memory target (the worker's peak RSS must not grow with the number of domains).
const SCALE = SMALL
  ? { hosts: 20, endpointsPerHost: 100, gapsPerEndpoint: 5 }
  : process.env.BENCH_SCALE === "10x"
    ? { hosts: 2000, endpointsPerHost: 100, gapsPerEndpoint: 5 }
    : { hosts: 200, endpointsPerHost: 100, gapsPerEndpoint: 5 };
const HOOK_DOMAIN = { host: "hooks.bench.example", endpoints: 500, gapsPerEndpoint: 5 };
const HOOK_ROUNDS = SMALL ? 5 : 20;
const TARGETS = { limitRatio: 3, gapsPerSecond: 10_000, resyncShare: 1 / 3, changedResyncRatio: 1.2, webhookP50Ms: 1000, listP95Ms: 30, rssMb: 400 };
const CHILD = "bench/sync-child.ts";
const STEP_TIMEOUT_MS = 15 * 60_000;

type Row = { measure: string; value: string; target?: string; ok?: boolean; how?: string };
const rows: Row[] = [];
function add(row: Row) {
  rows.push(row);
  const mark = row.ok === undefined ? "" : row.ok ? "  ok" : "  MISSED";
  console.log(`  ${row.measure}: ${row.value}${row.target ? ` (target ${row.target})` : ""}${mark}`);
}

async function main() {
  const started = Date.now();
  console.log(`Postura bench — ${SCALE.hosts} hosts × ${SCALE.endpointsPerHost} endpoints × ${SCALE.gapsPerEndpoint} gaps${SMALL ? " (small)" : ""}`);
  const planned = newDatabase("postura_bench");
  const env = posturaEnv(planned.url);
  Object.assign(process.env, env);
  const database: ThrowawayDatabase = await createThrowawayDatabase(planned.name);
  // PostgreSQL's share: slow statements and their plans go to the server's log.
  await logSlowStatements(database);
  let serve: ChildProcess | null = null;
  // Imported after the environment is in place: server/env validates it on import.
  const { openDatabase } = await import("@/db/client");
  const { startSaltSimulator } = await import("@/tools/salt-simulator");
  const { seedSaltTenant, simulatorHosts } = await import("@/test/sync-fixtures");
  const handle = openDatabase({ url: database.url }, { poolSize: 4 });
  if (handle.kind !== "postgres") throw new Error("unreachable");
  const sql = handle.sql;
  const sim = await startSaltSimulator({ port: 0, seed: 42, ...SCALE });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  const childEnv = { ...env, SALT_US_BASE_URL: sim.baseUrls.us, SALT_EU_BASE_URL: sim.baseUrls.eu };

  try {
    const tenant = await seedSaltTenant(handle, sim);
    const hosts = simulatorHosts(sim);
    const counts = sim.state.counts();
    const args = {
      companyId: tenant.company.id,
      integrationId: tenant.integration.id,
      hosts,
      baseUrl: sim.baseUrls.us,
      apiKey: sim.keys.usFull.key,
      pageSize: 500, // the client's page size (SALT_DEFAULT_PAGE_SIZE)
      concurrency: 4, // the worker's localConcurrency for domain-sync
      timeoutMs: STEP_TIMEOUT_MS,
    };
    const child = <T>(mode: string) => runChildForResult<T>(CHILD, { ...childEnv, BENCH_MODE: mode, BENCH_ARGS: JSON.stringify(args) }, STEP_TIMEOUT_MS);

    // ---- 1. the physical limit, network half -----------------------------------------------------------------
    console.log("\n[1/5] fetching every page with no processing");
    const fetched = await child<{ ms: number; pages: number; bytes: number }>("fetch");
    console.log(`  ${fetched.pages} pages, ${(fetched.bytes / 1048576).toFixed(0)} MiB in ${seconds(fetched.ms)}`);

    // ---- 2. the first sync ---------------------------------------------------------------------------------
    console.log("\n[2/5] full first sync through the queue");
    const first = await child<{ ms: number; succeeded: number; failed: number; peakRssMb: number }>("first");
    const [stored] = await sql<{ apis: number; issues: number }[]>`
      select (select count(*) from assets where company_id = ${tenant.company.id} and asset_type = 'api')::int as apis,
             (select count(*) from issues where company_id = ${tenant.company.id})::int as issues`;
    const gapsPerSecond = counts.postureGaps / (first.ms / 1000);
    add({ measure: "first sync: wall time", value: `${seconds(first.ms)} (${first.succeeded} runs ok, ${first.failed} failed)`, how: "npm run bench" });
    add({ measure: "first sync: rows stored", value: `${stored?.apis} APIs / ${stored?.issues} issues (simulator: ${counts.endpoints} / ${counts.postureGaps})`, ok: stored?.apis === counts.endpoints && stored?.issues === counts.postureGaps });
    add({ measure: "first sync: gaps/s", value: gapsPerSecond.toFixed(0), target: `≥ ${TARGETS.gapsPerSecond}`, ok: gapsPerSecond >= TARGETS.gapsPerSecond });
    add({ measure: "first sync: peak RSS of the worker process", value: `${first.peakRssMb} MB`, target: `< ${TARGETS.rssMb} MB`, ok: first.peakRssMb < TARGETS.rssMb });

    // ---- 3. the physical limit, database half ------------------------------------------------------------------
    console.log("\n[3/5] COPY of the same rows into scratch copies of the same tables");
    const copyTables: [string, string][] = [
      ["assets", `asset_type = 'api'`],
      ["issues", "true"],
      ["status_history", "true"],
      ["asset_tags", "true"],
    ];
    const { ms: copyMs, rows: copiedRows } = await copyRowsLimit(database.url, tenant.company.id, copyTables);
    const limitMs = fetched.ms + copyMs;
    const ratio = first.ms / limitMs;
    add({ measure: "physical limit: fetch all pages", value: `${seconds(fetched.ms)} (${fetched.pages} pages)` });
    add({ measure: "physical limit: COPY the same rows", value: `${seconds(copyMs)} (${copiedRows} rows)` });
    add({ measure: "sync / limit", value: `${ratio.toFixed(2)}× (limit ${seconds(limitMs)})`, target: `≤ ${TARGETS.limitRatio}×`, ok: ratio <= TARGETS.limitRatio });

    // ---- 4. unchanged re-sync ---------------------------------------------------------------------------------
    console.log("\n[4/5] re-sync with no changes");
    const tableWrites = async () => {
      await sql`select pg_stat_clear_snapshot()`;
      const list = await sql<{ relname: string; writes: string }[]>`
        select relname, (n_tup_ins + n_tup_upd + n_tup_del)::text as writes from pg_stat_user_tables where schemaname = 'public'`;
      return new Map(list.map((r) => [r.relname, Number(r.writes)]));
    };
    await sleep(1500); // the first sync's backends have exited; their statistics are flushed
    const before = await tableWrites();
    const resync = await child<{ ms: number; succeeded: number; failed: number; peakRssMb: number }>("resync");
    await sleep(1500);
    const after = await tableWrites();
    const deltas = [...after].map(([table, n]) => [table, n - (before.get(table) ?? 0)] as const).filter(([, d]) => d > 0);
    const bookkeeping = new Set(["sync_runs"]);
    // Each domain's "last synced" lives on its FQDN asset row (the FQDN list sorts by it): one stamp per domain per
    // successful run, counted apart from the data writes.
    const [domainStamp] = await sql<{ n: number }[]>`
      select count(*)::int as n from assets where company_id = ${tenant.company.id} and asset_type = 'domain' and last_synced_at > now() - interval '1 hour'`;
    const stamps = Math.min(domainStamp?.n ?? 0, deltas.find(([t]) => t === "assets")?.[1] ?? 0);
    const dataWrites = deltas
      .filter(([t]) => !bookkeeping.has(t))
      .map(([t, d]) => [t, t === "assets" ? d - stamps : d] as const)
      .filter(([, d]) => d > 0);
    const dataWriteCount = dataWrites.reduce((s, [, d]) => s + d, 0);
    add({ measure: "unchanged re-sync: time", value: `${seconds(resync.ms)} (${(100 * resync.ms / first.ms).toFixed(0)}% of first; ${resync.succeeded} ok, ${resync.failed} failed)`, target: "< 33%", ok: resync.ms < first.ms * TARGETS.resyncShare });
    add({
      measure: "unchanged re-sync: rows written",
      value: `${dataWriteCount} in data tables [${dataWrites.map(([t, d]) => `${t} ${d}`).join(", ") || "none"}]; apart: ${stamps} domain last_synced_at stamps, sync_runs ${deltas.find(([t]) => t === "sync_runs")?.[1] ?? 0}`,
      target: "0",
      ok: dataWriteCount === 0,
    });

    console.log("\n[4b/5] re-sync after 1 % of the posture gaps changed in Salt");
    const allGaps = sim.state.listPostureGaps({ offset: 0, limit: counts.postureGaps }, {}).response;
    let changedGaps = 0;
    for (let i = 0; i < allGaps.length; i += 100) {
      const gap = allGaps[i]!;
      // Alternate status and severity changes, as Salt's own activity would.
      if (changedGaps % 2 === 0) sim.state.updatePostureGap(gap.postureGapId, { status: gap.status === "Open" ? "Inprocess" : "Open" });
      else sim.state.updatePostureGap(gap.postureGapId, { severity: gap.severity === "High" ? "Medium" : "High" });
      changedGaps++;
    }
    const changed = await child<{ ms: number; succeeded: number; failed: number; peakRssMb: number }>("resync");
    const changedRatio = changed.ms / resync.ms;
    add({
      measure: `1 % changed re-sync (${changedGaps} gaps): time`,
      value: `${seconds(changed.ms)} (${changedRatio.toFixed(2)}× the unchanged re-sync; ${changed.succeeded} ok, ${changed.failed} failed)`,
      target: `≤ ${TARGETS.changedResyncRatio}×`,
      ok: changedRatio <= TARGETS.changedResyncRatio,
    });
    add({ measure: "re-syncs: peak RSS of the worker process", value: `${Math.max(resync.peakRssMb, changed.peakRssMb)} MB`, target: `< ${TARGETS.rssMb} MB`, ok: Math.max(resync.peakRssMb, changed.peakRssMb) < TARGETS.rssMb });

    // ---- 5. webhook -> visible ------------------------------------------------------------------------------------
    console.log(`\n[5/5] webhook → re-sync → visible (${HOOK_DOMAIN.endpoints} endpoints, ${HOOK_DOMAIN.endpoints * HOOK_DOMAIN.gapsPerEndpoint} gaps)`);
    sim.state.createHost({ host: HOOK_DOMAIN.host, labels: ["bench"] });
    const severities = ["Critical", "High", "Medium", "Low", "Info"] as const;
    const gapIds: string[] = [];
    for (let e = 0; e < HOOK_DOMAIN.endpoints; e++) {
      const endpoint = { host: HOOK_DOMAIN.host, method: ["GET", "POST", "PUT", "DELETE"][e % 4]!, endpointPath: `/v1/resource-${e}/{id}` };
      sim.state.createEndpoint(endpoint);
      for (let g = 0; g < HOOK_DOMAIN.gapsPerEndpoint; g++) {
        gapIds.push(sim.state.createPostureGap({ ...endpoint, postureGapName: `Gap ${g} on resource ${e}`, severity: severities[(e + g) % 5], status: "Open" }).postureGapId);
      }
    }
    await sql`insert into assets (company_id, asset_type, name, external_ref, source, integration_id)
      values (${tenant.company.id}, 'domain', ${HOOK_DOMAIN.host}, ${HOOK_DOMAIN.host}, 'salt_security', ${tenant.integration.id})`;
    serve = spawnTsx(CHILD, { ...childEnv, BENCH_MODE: "serve", BENCH_ARGS: JSON.stringify({ ...args, timeoutMs: STEP_TIMEOUT_MS }) });
    let serveOut = "";
    serve.stderr?.on("data", (c: Buffer) => process.stderr.write(c));
    const port = await new Promise<number>((resolve, reject) => {
      serve!.stdout?.on("data", (chunk: Buffer) => {
        serveOut += chunk.toString();
        const line = serveOut.split("\n").find((l) => l.startsWith('{"result"'));
        if (line) resolve((JSON.parse(line) as { result: { port: number } }).result.port);
      });
      serve!.on("exit", (code) => reject(new Error(`webhook server exited with ${code}`)));
    });
    const webhookUrl = `http://127.0.0.1:${port}/api/v3/integrations/scanners/salt_security/webhook`;
    const deliver = async () => {
      const response = await fetch(webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ company_id: tenant.company.publicId, webhook_token: tenant.webhookToken, reference: HOOK_DOMAIN.host, event: "posture_gap.status_changed" }),
      });
      await response.text();
      if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
    };
    const queueIdle = async () => {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where name = 'domain-sync' and state in ('created', 'retry', 'active')`;
      return row?.n === 0;
    };
    const hookStarted = performance.now();
    await deliver();
    await waitFor(async () => {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from issues where company_id = ${tenant.company.id} and domain_asset_id = (select id from assets where company_id = ${tenant.company.id} and external_ref = ${HOOK_DOMAIN.host} and asset_type = 'domain')`;
      return row?.n === gapIds.length;
    }, "the webhook domain's first sync", 120_000, 50);
    await waitFor(queueIdle, "an idle queue", 120_000, 50);
    console.log(`  first sync of the domain by webhook: ${seconds(performance.now() - hookStarted)}`);
    const visible: number[] = [];
    const answers: number[] = [];
    let status: "Open" | "Inprocess" = "Inprocess";
    for (let round = 0; round < HOOK_ROUNDS; round++) {
      const gapId = gapIds[(round * 397) % gapIds.length]!;
      const current = sim.state.getPostureGap(gapId)?.status;
      status = current === "Open" ? "Inprocess" : "Open";
      const expected = status === "Open" ? "identified" : "in_progress";
      sim.state.updatePostureGap(gapId, { status });
      const t0 = performance.now();
      await deliver();
      answers.push(performance.now() - t0);
      await waitFor(async () => {
        const [row] = await sql<{ status: string }[]>`select status from issues where company_id = ${tenant.company.id} and external_id = ${gapId}`;
        return row?.status === expected;
      }, `gap ${gapId} to show ${expected}`, 60_000, 5);
      visible.push(performance.now() - t0);
      await waitFor(queueIdle, "an idle queue", 60_000, 20);
    }
    visible.sort((a, b) => a - b);
    answers.sort((a, b) => a - b);
    const p50 = percentile(visible, 50);
    add({ measure: `webhook → visible p50 / p95 (${HOOK_ROUNDS} rounds)`, value: `${ms(p50)} / ${ms(percentile(visible, 95))}`, target: `p50 < ${TARGETS.webhookP50Ms} ms`, ok: p50 < TARGETS.webhookP50Ms });
    add({ measure: "webhook answer (202) p50 / p95", value: `${ms(percentile(answers, 50))} / ${ms(percentile(answers, 95))}` });
    serve.kill("SIGTERM");
    await new Promise((resolve) => serve!.once("exit", resolve));
    serve = null;

    if (process.env.BENCH_PGLITE) {
      const pgliteHosts = process.env.BENCH_PGLITE_HOSTS ? hosts.slice(0, Number(process.env.BENCH_PGLITE_HOSTS)) : hosts;
      await pglitePass({ ...childEnv }, { hosts: pgliteHosts, apiKey: args.apiKey, timeoutMs: STEP_TIMEOUT_MS }, sim, fetched.ms * (pgliteHosts.length / hosts.length), {
        first: first.ms * (pgliteHosts.length / hosts.length),
      });
    }
  } finally {
    if (serve) serve.kill("SIGKILL");
    await sim.close();
    await handle.close();
    await database.drop();
  }

  // ---- list queries ---------------------------------------------------------------------------------------------
  if (process.env.BENCH_SKIP_LISTS) {
    console.log("\nlist queries skipped (BENCH_SKIP_LISTS)");
  } else {
    console.log("\n[lists] bench/list-queries.ts at 200 FQDNs / 100,000 APIs / 300,000 issues");
    const listOut = await runListQueries();
    for (const line of listOut) {
      const m = /^(.+?)\s{2,}(\d+\.\d)\s+(\d+\.\d)/.exec(line);
      if (!m) continue;
      const p95 = Number(m[3]);
      add({ measure: `list: ${m[1]!.trim()} p50 / p95`, value: `${m[2]} / ${m[3]} ms`, target: `p95 < ${TARGETS.listP95Ms} ms`, ok: p95 < TARGETS.listP95Ms });
    }
  }

  printTable();
  console.log(`\nbench finished in ${seconds(Date.now() - started)}`);
  const missed = rows.filter((r) => r.ok === false).length;
  console.log(missed ? `${missed} target(s) missed (see bench/RESULTS.md for why)` : "all targets met");
}

/**
 * Steps 1–3 on PGlite, in bench/pglite-child.ts. The limit is PGlite's own: the fetch (measured in step 1, scaled to
 * the hosts synced here) plus COPYing the rows the sync wrote into scratch copies of the tables inside PGlite.
 */
async function pglitePass(
  env: Record<string, string>,
  args: { hosts: string[]; apiKey: string; timeoutMs: number },
  sim: import("@/tools/salt-simulator").SaltSimulator,
  fetchMs: number,
  postgres: { first: number },
) {
  const scale = `${args.hosts.length} hosts`;
  console.log(`\n[6/6] PGlite: first sync, limit and re-syncs (${scale})`);
  const pgliteEnv = { ...process.env, ...env, LOG_LEVEL: "warn", BENCH_ARGS: JSON.stringify(args) };
  delete (pgliteEnv as Record<string, unknown>).DATABASE_URL; // embedded mode: no DATABASE_URL
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "bench/pglite-child.ts"], { env: pgliteEnv as NodeJS.ProcessEnv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const answers: { step: string; result?: unknown; error?: string }[] = [];
  const waiters: (() => void)[] = [];
  child.on("message", (m: { step: string; result?: unknown; error?: string }) => {
    answers.push(m);
    waiters.shift()?.();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const next = async <T>(step: string): Promise<T> => {
    if (answers.length === 0) {
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited.then(() => Promise.reject(new Error("the PGlite child exited")))]);
    }
    const answer = answers.shift()!;
    if (answer.error) throw new Error(`PGlite ${step}: ${answer.error}`);
    return answer.result as T;
  };
  const step = async <T>(name: string): Promise<T> => {
    child.send({ step: name });
    return next<T>(name);
  };
  const timer = setTimeout(() => child.kill("SIGKILL"), 3 * STEP_TIMEOUT_MS);
  try {
    await next("ready");
    type Run = { ms: number; succeeded: number; failed: number; peakRssMb: number };
    const first = await step<Run & { apis: number; issues: number }>("first");
    const gaps = first.issues;
    add({ measure: `pglite (${scale}): first sync`, value: `${seconds(first.ms)} = ${(gaps / (first.ms / 1000)).toFixed(0)} gaps/s (${first.succeeded} ok, ${first.failed} failed; ${first.apis} APIs / ${first.issues} issues); PostgreSQL same hosts ≈ ${seconds(postgres.first)}` });
    const copy = await step<{ ms: number; rows: number }>("copy");
    const limit = fetchMs + copy.ms;
    add({ measure: `pglite (${scale}): limit (fetch + COPY into PGlite)`, value: `${seconds(fetchMs)} + ${seconds(copy.ms)} (${copy.rows} rows) = ${seconds(limit)}` });
    add({ measure: `pglite (${scale}): sync / limit`, value: `${(first.ms / limit).toFixed(2)}×`, target: `≤ ${TARGETS.limitRatio}×`, ok: first.ms / limit <= TARGETS.limitRatio });
    const resync = await step<Run>("resync");
    add({ measure: `pglite (${scale}): unchanged re-sync`, value: `${seconds(resync.ms)} (${((100 * resync.ms) / first.ms).toFixed(0)}% of first)`, target: "< 33%", ok: resync.ms < first.ms * TARGETS.resyncShare });
    // 1 % of this pass's gaps change in Salt: every 100th of the synced hosts' gaps, status or severity.
    let changed = 0;
    for (const host of args.hosts) {
      const hostGaps = sim.state.listPostureGaps({ offset: 0, limit: 100_000 }, { host }).response;
      for (const gap of hostGaps) {
        if (changed++ % 100 !== 0) continue;
        if (changed % 2 === 0) sim.state.updatePostureGap(gap.postureGapId, { status: gap.status === "Open" ? "Inprocess" : "Open" });
        else sim.state.updatePostureGap(gap.postureGapId, { severity: gap.severity === "High" ? "Medium" : "High" });
      }
    }
    const changedRun = await step<Run>("resync");
    add({ measure: `pglite (${scale}): 1 % changed re-sync`, value: `${seconds(changedRun.ms)} (${(changedRun.ms / resync.ms).toFixed(2)}× the unchanged)`, target: `≤ ${TARGETS.changedResyncRatio}×`, ok: changedRun.ms / resync.ms <= TARGETS.changedResyncRatio });
    const rss = Math.max(first.peakRssMb, resync.peakRssMb, changedRun.peakRssMb);
    add({ measure: `pglite (${scale}): peak RSS (sync + database, one process)`, value: `${rss} MB`, target: `< ${TARGETS.rssMb} MB`, ok: rss < TARGETS.rssMb });
    child.send({ step: "stop" });
    await exited;
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

async function runListQueries(): Promise<string[]> {
  const child = spawnTsx("bench/list-queries.ts", { LOG_LEVEL: "warn" });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
    process.stdout.write(c);
  });
  child.stderr?.on("data", (c: Buffer) => process.stderr.write(c));
  const timer = setTimeout(() => child.kill("SIGKILL"), STEP_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearTimeout(timer);
  if (code !== 0) {
    add({ measure: "list queries", value: `bench/list-queries.ts exited with ${code}` });
    return [];
  }
  return out.split("\n");
}

function printTable() {
  const width = Math.max(...rows.map((r) => r.measure.length));
  const valueWidth = Math.max(...rows.map((r) => r.value.length));
  console.log(`\n${"measure".padEnd(width)}  ${"value".padEnd(valueWidth)}  target`);
  console.log(`${"-".repeat(width)}  ${"-".repeat(valueWidth)}  ------`);
  for (const r of rows) {
    const verdict = r.ok === undefined ? "" : r.ok ? "ok" : "MISSED";
    console.log(`${r.measure.padEnd(width)}  ${r.value.padEnd(valueWidth)}  ${r.target ?? ""} ${verdict}`.trimEnd());
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
