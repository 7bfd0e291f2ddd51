// The process that forwards in `npm run bench:vm`, so its peak RSS is forwarding's alone (the VM simulator and the
// bench driver live in the parent). BENCH_MODE picks what it does; BENCH_ARGS (JSON) says for whom.
//   limit    — the physical limit: read every issue's row (the job's own read), build the same records, and post
//              them in the same batches of 500 with a bare fetch — no outbox, no links, no client
//   backfill — work the issue-forward queue (the worker's real handler) until the outbox is empty
//   serve    — work the issue-forward queue until SIGTERM (status changes made by the parent)
// Prints one line `{"result": ...}`.
import { sql } from "drizzle-orm";

type Args = { companyId: string; integrationId: string; assessmentId: string; vmUrl: string; apiKey: string; issues: number; timeoutMs: number };

const mode = process.env.BENCH_MODE;
const args = JSON.parse(process.env.BENCH_ARGS ?? "{}") as Args;

// memoryUsage.rss() reads the RSS alone; memoryUsage() also walks the heap spaces, which cost the forwarder ~2 % of
// its CPU at this rate.
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 25);
sampler.unref();
const peakRssMb = () => Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1048576);
const report = (result: unknown) => process.stdout.write(`${JSON.stringify({ result })}\n`);

async function limit() {
  const { getDb } = await import("@/server/db");
  const { readIssuesForForwarding } = await import("@/server/forwarding/job");
  const { toVmVulnerability } = await import("@/server/integrations/snapsec-vm/record");
  const { VM_PATHS, API_KEY_HEADER } = await import("@/server/integrations/snapsec-vm/contract");
  const { rowsOf } = await import("./lib");
  const db = getDb();
  const started = performance.now();
  let readMs = 0;
  let posted = 0;
  let lastId = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const readStarted = performance.now();
    const ids = rowsOf<{ id: string }>(
      await db.execute(sql`select id from issues where company_id = ${args.companyId}::uuid and id > ${lastId}::uuid order by id limit 500`),
    ).map((r) => r.id);
    if (ids.length === 0) break;
    lastId = ids[ids.length - 1]!;
    const rows = await readIssuesForForwarding(db, args.companyId, ids);
    readMs += performance.now() - readStarted;
    const items = rows.map((issue) => toVmVulnerability(issue, { externalId: `limit-${issue.id}`, status: "Pending", link: `http://127.0.0.1/issues/${issue.id}` }));
    const response = await fetch(`${args.vmUrl}${VM_PATHS.bulkUpsert}`, {
      method: "POST",
      headers: { [API_KEY_HEADER]: args.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ assessmentId: args.assessmentId, vulnerabilities: items }),
    });
    await response.text();
    if (!response.ok) throw new Error(`bulk upsert: HTTP ${response.status}`);
    posted += items.length;
  }
  return { ms: performance.now() - started, readMs, posted, peakRssMb: peakRssMb() };
}

async function worker() {
  const { getBoss } = await import("@/server/jobs/runtime");
  const { jobHandlers } = await import("@/server/jobs/handlers");
  const { QUEUES } = await import("@/server/jobs/queues");
  const boss = await getBoss();
  const definition = jobHandlers[QUEUES.issueForward];
  if (!definition) throw new Error("no issue-forward handler");
  await boss.work(QUEUES.issueForward, definition.options, definition.handler);
  return boss;
}

async function backfill() {
  const { getDb } = await import("@/server/db");
  const { queueBackfill } = await import("@/server/forwarding/outbox");
  const { rowsOf, waitFor } = await import("./lib");
  const db = getDb();
  const boss = await worker();
  const started = performance.now();
  await db.transaction((tx) => queueBackfill(tx, { companyId: args.companyId, integrationId: args.integrationId }));
  const queuedMs = performance.now() - started;
  await waitFor(
    async () => {
      // Whether any row is left, not how many: a count of the outbox 40 times a second took PostgreSQL time from
      // the run it measures.
      const [row] = rowsOf<{ drained: boolean }>(
        await db.execute(sql`select not exists (select 1 from forward_outbox where integration_id = ${args.integrationId}::uuid) as drained`),
      );
      return row?.drained === true;
    },
    "the forwarding outbox to drain",
    args.timeoutMs,
    50,
  );
  const ms = performance.now() - started;
  const [links] = rowsOf<{ forwarded: number; other: number }>(
    await db.execute(sql`select count(*) filter (where state = 'forwarded')::int as forwarded, count(*) filter (where state <> 'forwarded')::int as other
      from forward_links where integration_id = ${args.integrationId}::uuid`),
  );
  await boss.stop({ graceful: false, close: true });
  return { ms, queuedMs, forwarded: Number(links?.forwarded), other: Number(links?.other), peakRssMb: peakRssMb() };
}

async function main() {
  if (mode === "limit") {
    report(await limit());
    process.exit(0);
  } else if (mode === "backfill") {
    report(await backfill());
    process.exit(0);
  } else if (mode === "serve") {
    const boss = await worker();
    report({ serving: true });
    process.on("SIGTERM", () => void boss.stop({ graceful: false, close: true }).finally(() => process.exit(0)));
  } else {
    throw new Error(`BENCH_MODE must be limit, backfill or serve, not ${mode}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
