// `npm run bench:webhooks`: the webhook route under load, served by `next start` (production build in .next-bench,
// RUN_WORKER=inline) on a throwaway PostgreSQL database, with the Salt simulator on loopback.
// 10,000 deliveries at 200/s (autocannon, bounded in count and time) across 5 companies and 50 domains:
// 5% duplicates, 5% wrong tokens, 2% oversized bodies. Reports p99 answer time, wrong tokens accepted, 5xx, and
// whether every domain that got a valid delivery ends with a completed re-sync that started after its last one.
// Deliveries arrive as they would behind a load balancer (TRUSTED_PROXIES=127.0.0.1, X-Forwarded-For): Salt's
// from a few egress addresses, the refused ones from other addresses — so the per-address brake on refused
// deliveries (server/webhooks/rejections.ts) stops the senders of bad deliveries, not Salt.
//   npm run bench:webhooks [-- --no-build]      (--no-build reuses an existing .next-bench)
//   BENCH_LAYOUT=separate npm run bench:webhooks   the production layout: RUN_WORKER=off in the web process and
//                                                  a separate `npm run worker` process working the queue
import { spawn, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import postgres from "postgres";
import { createRandom } from "../tools/simulator-kit/random";
import { buildNext, createThrowawayDatabase, ms, newDatabase, percentile, posturaEnv, seconds, sleep, waitFor } from "./lib";

const DELIVERIES = 10_000;
const RATE_PER_SECOND = 200;
const CONNECTIONS = 20;
const COMPANIES = 5;
const DOMAINS_PER_COMPANY = 10;
const SHARE = { duplicate: 0.05, wrongToken: 0.05, oversized: 0.02 };
const PORT = Number(process.env.BENCH_PORT ?? 3400);
const DIST_DIR = ".next-bench";
const LOAD_TIMEOUT_S = 120; // autocannon's own bound; 10,000 at 200/s takes 50 s
const TARGET_P99_MS = 50;

type Kind = "valid" | "duplicate" | "wrong_token" | "oversized";
type Planned = { kind: Kind; domain: string; body: string; from: string };
// Documentation ranges (RFC 5737): Salt's egress addresses, and the addresses bad deliveries come from.
const SALT_EGRESS = ["203.0.113.10", "203.0.113.11", "203.0.113.12"];
const OTHER_SENDERS = Array.from({ length: 40 }, (_, i) => `198.51.100.${i + 1}`);

async function main() {
  const started = Date.now();
  const planned = newDatabase("postura_whload");
  const separate = process.env.BENCH_LAYOUT === "separate";
  console.log(`layout: ${separate ? "RUN_WORKER=off web process + a separate worker process" : "RUN_WORKER=inline (worker inside the web process)"}`);
  const env = posturaEnv(planned.url, {
    RUN_WORKER: separate ? "off" : "inline",
    PORT: String(PORT),
    APP_URL: `http://127.0.0.1:${PORT}`,
    TRUSTED_PROXIES: "127.0.0.1",
  });
  Object.assign(process.env, env);

  buildNext(DIST_DIR);

  const database = await createThrowawayDatabase(planned.name);
  const { openDatabase } = await import("@/db/client");
  const { startSaltSimulator } = await import("@/tools/salt-simulator");
  const { seedSaltTenant, simulatorHosts } = await import("@/test/sync-fixtures");
  const { assets } = await import("@/db/schema");
  const handle = openDatabase({ url: database.url }, { poolSize: 2 });
  const sim = await startSaltSimulator({ port: 0, seed: 5, hosts: COMPANIES * DOMAINS_PER_COMPANY, endpointsPerHost: 10, gapsPerEndpoint: 2 });
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  let server: ChildProcess | null = null;
  let worker: ChildProcess | null = null;

  try {
    // ---- five companies, ten domains each --------------------------------------------------------------------
    const hosts = simulatorHosts(sim);
    const tenants = [];
    for (let c = 0; c < COMPANIES; c++) {
      const tenant = await seedSaltTenant(handle, sim);
      const domains = hosts.slice(c * DOMAINS_PER_COMPANY, (c + 1) * DOMAINS_PER_COMPANY);
      await handle.db.insert(assets).values(
        domains.map((host) => ({
          companyId: tenant.company.id,
          assetType: "domain" as const,
          name: host,
          externalRef: host,
          source: "salt_security" as const,
          integrationId: tenant.integration.id,
        })),
      );
      tenants.push({ publicId: tenant.company.publicId, token: tenant.webhookToken, integrationId: tenant.integration.id, domains });
    }

    // ---- the plan ----------------------------------------------------------------------------------------------
    const rand = createRandom(2026); // deterministic: every run sends the same plan
    const plan: Planned[] = [];
    for (let i = 0; i < DELIVERIES; i++) {
      const roll = rand();
      const previous = plan[plan.length - 1];
      if (roll < SHARE.duplicate && previous && previous.kind !== "oversized" && previous.kind !== "wrong_token") {
        plan.push({ ...previous, kind: "duplicate" }); // the same delivery again, byte for byte, from the same sender
        continue;
      }
      const tenant = tenants[Math.floor(rand() * tenants.length)]!;
      const domain = tenant.domains[Math.floor(rand() * tenant.domains.length)]!;
      const salt = SALT_EGRESS[Math.floor(rand() * SALT_EGRESS.length)]!;
      const other = OTHER_SENDERS[Math.floor(rand() * OTHER_SENDERS.length)]!;
      const base = { company_id: tenant.publicId, webhook_token: tenant.token, reference: domain, event: "posture_gap.status_changed" };
      if (roll < SHARE.duplicate + SHARE.wrongToken) {
        plan.push({ kind: "wrong_token", domain, body: JSON.stringify({ ...base, webhook_token: `whk_${Math.floor(rand() * 1e12).toString(36)}wrong` }), from: other });
      } else if (roll < SHARE.duplicate + SHARE.wrongToken + SHARE.oversized) {
        plan.push({ kind: "oversized", domain, body: JSON.stringify({ ...base, padding: "x".repeat(70 * 1024) }), from: other });
      } else {
        plan.push({ kind: "valid", domain, body: JSON.stringify(base), from: salt });
      }
    }
    const planned = (kind: Kind) => plan.filter((p) => p.kind === kind).length;
    console.log(
      `plan: ${plan.length} deliveries — ${planned("valid")} valid, ${planned("duplicate")} duplicates, ${planned("wrong_token")} wrong tokens, ${planned("oversized")} oversized`,
    );

    // ---- next start ----------------------------------------------------------------------------------------------
    server = spawn("npx", ["next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
      env: { ...process.env, ...env, NEXT_DIST_DIR: DIST_DIR, NEXT_MANUAL_SIG_HANDLE: "true", SALT_US_BASE_URL: sim.baseUrls.us, SALT_EU_BASE_URL: sim.baseUrls.eu },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so the npx → next chain stops together
    });
    let serverLog = "";
    if (separate) {
      worker = spawn(process.execPath, ["--import", "tsx", "server/jobs/worker-main.ts"], {
        env: { ...process.env, ...env, SALT_US_BASE_URL: sim.baseUrls.us, SALT_EU_BASE_URL: sim.baseUrls.eu },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      worker.stderr?.on("data", (c: Buffer) => (serverLog += c.toString()));
    }
    server.stdout?.on("data", (c: Buffer) => (serverLog += c.toString()));
    server.stderr?.on("data", (c: Buffer) => (serverLog += c.toString()));
    const url = `http://127.0.0.1:${PORT}/api/v3/integrations/scanners/salt_security/webhook`;
    await waitFor(
      async () => {
        try {
          const response = await fetch(url, { method: "POST", body: "{}" });
          await response.text();
          return response.status === 422;
        } catch {
          return false;
        }
      },
      "next start to answer",
      60_000,
      250,
    );
    // Warm the route (first requests compile nothing, but open pools and start the queue).
    for (let i = 0; i < 20; i++) await (await fetch(url, { method: "POST", body: plan[i]!.body })).text();
    await waitFor(async () => (await sql`select count(*)::int as n from pgboss.job where name = 'domain-sync' and state in ('created', 'retry', 'active')`)[0]?.n === 0, "the warm-up syncs", 120_000, 250);
    const warmupEnd = (await sql<{ now: Date }[]>`select now()`)[0]!.now;

    // ---- the load -------------------------------------------------------------------------------------------------
    let next = 0;
    const answers = new Map<Kind, Map<number, number>>();
    const latencies: number[] = [];
    const inFlight = new Map<object, { index: number; at: number }>();
    console.log(`sending ${DELIVERIES} deliveries at ${RATE_PER_SECOND}/s over ${CONNECTIONS} connections…`);
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      overallRate: RATE_PER_SECOND,
      amount: DELIVERIES,
      timeout: 10,
      duration: LOAD_TIMEOUT_S, // ignored when amount is set, but keep the intent: bounded
      requests: [
        {
          method: "POST",
          setupRequest: (request, context: object) => {
            const index = next++ % plan.length;
            inFlight.set(context, { index, at: performance.now() });
            const delivery = plan[index]!;
            return { ...request, headers: { "content-type": "application/json", "x-forwarded-for": delivery.from }, body: delivery.body };
          },
          onResponse: (status, _body, context: object) => {
            const sent = inFlight.get(context);
            if (!sent) return;
            latencies.push(performance.now() - sent.at);
            const kind = plan[sent.index]!.kind;
            const byStatus = answers.get(kind) ?? new Map<number, number>();
            byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
            answers.set(kind, byStatus);
          },
        },
      ],
    });
    const loadEnd = Date.now();

    // ---- afterwards: every domain with a valid delivery re-synced after its last one --------------------------------
    await waitFor(
      async () => (await sql`select count(*)::int as n from pgboss.job where name = 'domain-sync' and state in ('created', 'retry', 'active')`)[0]?.n === 0,
      "the queue to drain",
      5 * 60_000,
      250,
    );
    const drainMs = Date.now() - loadEnd;
    const domains = await sql<{ domain: string; company_id: string; last_delivery: Date; last_run_start: Date | null; runs: number; failed: number }[]>`
      with last as (
        select company_id, domain, max(received_at) as last_delivery from webhook_deliveries
        where outcome = 'accepted' and received_at > ${warmupEnd} group by company_id, domain)
      select l.domain, l.company_id, l.last_delivery,
        (select max(r.started_at) from sync_runs r where r.company_id = l.company_id and r.domain = l.domain and r.state = 'succeeded') as last_run_start,
        (select count(*)::int from sync_runs r where r.company_id = l.company_id and r.domain = l.domain and r.started_at > ${warmupEnd}) as runs,
        (select count(*)::int from sync_runs r where r.company_id = l.company_id and r.domain = l.domain and r.state = 'failed' and r.started_at > ${warmupEnd}) as failed
      from last l order by l.domain`;
    const covered = domains.filter((d) => d.last_run_start !== null && d.last_run_start > d.last_delivery);
    const validDomains = new Set(plan.filter((p) => p.kind === "valid" || p.kind === "duplicate").map((p) => p.domain));
    const [deliveryCounts] = await sql<{ accepted: number; rejected: number }[]>`
      select count(*) filter (where outcome = 'accepted')::int as accepted, count(*) filter (where outcome = 'rejected')::int as rejected
      from webhook_deliveries where received_at > ${warmupEnd}`;

    // ---- report ---------------------------------------------------------------------------------------------------
    const count = (kind: Kind, status?: number) =>
      [...(answers.get(kind) ?? new Map<number, number>())].filter(([s]) => status === undefined || s === status).reduce((n, [, c]) => n + c, 0);
    const fiveXx = [...answers.values()].flatMap((m) => [...m]).filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const wrongAccepted = [...(answers.get("wrong_token") ?? new Map<number, number>())].filter(([s]) => s < 400).reduce((n, [, c]) => n + c, 0);
    latencies.sort((a, b) => a - b);
    const lines: [string, string, string][] = [
      ["deliveries sent / answered", `${result.requests.sent} / ${latencies.length} in ${seconds(result.duration * 1000)} (${result.requests.average.toFixed(0)}/s)`, ""],
      ["answer time p50 / p99 (autocannon)", `${result.latency.p50} ms / ${result.latency.p99} ms`, `p99 < ${TARGET_P99_MS} ms ${result.latency.p99 < TARGET_P99_MS ? "ok" : "MISSED"}`],
      ["answer time p50 / p99 (own clock)", `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))}`, ""],
      ["valid: 202", `${count("valid", 202)} of ${count("valid")}`, `all ${count("valid", 202) === count("valid") ? "ok" : "MISSED"}`],
      ["duplicates: 202", `${count("duplicate", 202)} of ${count("duplicate")}`, ""],
      [
        "wrong tokens: 401 / 429 (sender braked) / accepted",
        `${count("wrong_token", 401)} / ${count("wrong_token", 429)} / ${wrongAccepted} of ${count("wrong_token")}`,
        `0 accepted ${wrongAccepted === 0 ? "ok" : "MISSED"}`,
      ],
      ["oversized: 413 / 429 (sender braked)", `${count("oversized", 413)} / ${count("oversized", 429)} of ${count("oversized")}`, ""],
      ["5xx answers", String(fiveXx + result["5xx"] - fiveXx), `0 ${result["5xx"] === 0 && fiveXx === 0 ? "ok" : "MISSED"}`],
      ["errors / timeouts (autocannon)", `${result.errors} / ${result.timeouts}`, ""],
      ["deliveries recorded (accepted / rejected)", `${deliveryCounts?.accepted} / ${deliveryCounts?.rejected}`, ""],
      ["queue drained after the load", seconds(drainMs), ""],
      [
        "domains re-synced after their last delivery",
        `${covered.length} of ${validDomains.size} (runs: ${domains.reduce((n, d) => n + d.runs, 0)}, failed: ${domains.reduce((n, d) => n + d.failed, 0)})`,
        `all ${covered.length === validDomains.size && domains.length === validDomains.size ? "ok" : "MISSED"}`,
      ],
    ];
    const width = Math.max(...lines.map((l) => l[0].length));
    const valueWidth = Math.max(...lines.map((l) => l[1].length));
    console.log(`\n${"measure".padEnd(width)}  ${"value".padEnd(valueWidth)}  target`);
    for (const [a, b, c] of lines) console.log(`${a.padEnd(width)}  ${b.padEnd(valueWidth)}  ${c}`.trimEnd());
    const missing = [...validDomains].filter((d) => !covered.some((c) => c.domain === d));
    if (missing.length > 0) console.log(`not re-synced after their last delivery: ${missing.join(", ")}`);
    if (/error/i.test(serverLog)) console.log(`\nserver log (errors):\n${serverLog.split("\n").filter((l) => /error/i.test(l)).slice(0, 10).join("\n")}`);
    console.log(`\nfinished in ${seconds(Date.now() - started)}`);
  } finally {
    for (const child of [server, worker]) {
      if (!child?.pid) continue;
      try {
        process.kill(-child.pid, "SIGTERM");
        await sleep(2000);
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await sql.end({ timeout: 2 });
    await sim.close();
    await handle.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
