// The process that does the sync work in `npm run bench`, so its peak RSS is the sync's alone (the simulator and
// the bench driver live in the parent). BENCH_MODE picks what it does; BENCH_ARGS (JSON) says for whom.
//   fetch  — the physical limit's network half: every page the sync reads, fetched with no processing
//   first  — associate the hosts (queues one first_sync job each) and work the domain-sync queue until done
//   resync — queue a full manual sync and work it until done
//   serve  — the webhook route on a loopback HTTP port plus the domain-sync worker (like RUN_WORKER=inline)
// Prints one line `{"result": ...}`; `serve` then runs until SIGTERM (the parent stops it, bounded).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, gte, inArray, sql } from "drizzle-orm";

type Args = {
  companyId: string;
  integrationId: string;
  hosts: string[];
  baseUrl: string;
  apiKey: string;
  pageSize: number;
  concurrency: number;
  timeoutMs: number;
};

const mode = process.env.BENCH_MODE;
const args = JSON.parse(process.env.BENCH_ARGS ?? "{}") as Args;

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 25);
sampler.unref();

function memory() {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  // maxRSS is the kernel's high-water mark for this process (KiB): exact, whatever the sampler missed.
  return { peakRssMb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1048576) };
}

function report(result: unknown) {
  process.stdout.write(`${JSON.stringify({ result })}\n`);
}

async function fetchAll() {
  const headers = { authorization: `Bearer ${args.apiKey}`, accept: "application/json" };
  let pages = 0;
  let bytes = 0;
  const get = async (path: string) => {
    const response = await fetch(`${args.baseUrl}${path}`, { headers });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    pages++;
    bytes += text.length;
    // The only look inside: endOffset (at the end of the body) says how many rows came, i.e. whether this was
    // the last page (a page shorter than the limit is the last).
    const at = text.lastIndexOf('"endOffset":');
    return at === -1 ? 0 : Number.parseInt(text.slice(at + 12), 10);
  };
  const walk = async (path: string, query: string) => {
    for (let offset = 0; ; offset += args.pageSize) {
      const endOffset = await get(`${path}?limit=${args.pageSize}&offset=${offset}${query}`);
      if (endOffset - offset < args.pageSize) return;
    }
  };
  const started = performance.now();
  await walk("/v1/inventory/hosts", "");
  const queue = [...args.hosts];
  await Promise.all(
    Array.from({ length: args.concurrency }, async () => {
      for (let host = queue.shift(); host !== undefined; host = queue.shift()) {
        const q = `&host=${encodeURIComponent(host)}`;
        await walk("/v1/inventory/endpoints", q);
        await walk("/v1/apigovern/posture/gaps", q);
      }
    }),
  );
  return { ms: performance.now() - started, pages, bytes, ...memory() };
}

async function worker() {
  const { getBoss } = await import("@/server/jobs/runtime");
  const { jobHandlers } = await import("@/server/jobs/handlers");
  const { QUEUES } = await import("@/server/jobs/queues");
  const boss = await getBoss();
  const definition = jobHandlers[QUEUES.domainSync];
  if (!definition) throw new Error("no domain-sync handler");
  await boss.work(QUEUES.domainSync, definition.options, definition.handler);
  return boss;
}

/** Waits until `expected` runs of `trigger` queued since `since` have ended and the queue is empty. */
async function untilQueueDrained(trigger: "first_sync" | "manual", expected: number, since: Date) {
  const { getDb } = await import("@/server/db");
  const { syncRuns } = await import("@/db/schema");
  const { rowsOf, waitFor } = await import("./lib");
  const db = getDb();
  await waitFor(
    async () => {
      const [jobs] = rowsOf<{ n: number }>(
        await db.execute(sql`select count(*)::int as n from pgboss.job where name = 'domain-sync' and state in ('created', 'retry', 'active')`),
      );
      if (Number(jobs?.n) > 0) return false;
      const [done] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(syncRuns)
        .where(
          and(
            eq(syncRuns.integrationId, args.integrationId),
            eq(syncRuns.trigger, trigger),
            gte(syncRuns.queuedAt, since),
            inArray(syncRuns.state, ["succeeded", "partial", "failed"]),
          ),
        );
      return Number(done?.n) >= expected;
    },
    `${expected} ${trigger} runs`,
    args.timeoutMs,
    25,
  );
  const [states] = rowsOf<{ succeeded: number; failed: number }>(
    await db.execute(sql`select count(*) filter (where state in ('succeeded', 'partial'))::int as succeeded, count(*) filter (where state = 'failed')::int as failed
      from sync_runs where integration_id = ${args.integrationId} and trigger = ${trigger} and queued_at >= ${since.toISOString()}::timestamptz`),
  );
  return { succeeded: Number(states?.succeeded ?? 0), failed: Number(states?.failed ?? 0) };
}

async function main() {
  switch (mode) {
    case "fetch":
      report(await fetchAll());
      process.exit(0);
      break;
    case "first":
    case "resync": {
      const { getDb } = await import("@/server/db");
      const { associateDomains, enqueueFullSync } = await import("@/server/sync");
      const boss = await worker();
      const started = performance.now();
      const since = new Date();
      if (mode === "first") {
        await associateDomains(getDb(), { companyId: args.companyId, integrationId: args.integrationId, hosts: args.hosts });
      } else {
        await enqueueFullSync({ companyId: args.companyId, integrationId: args.integrationId, trigger: "manual" });
      }
      const states = await untilQueueDrained(mode === "first" ? "first_sync" : "manual", args.hosts.length, since);
      const elapsed = performance.now() - started;
      const result = { ms: elapsed, ...states, ...memory() };
      await boss.stop({ graceful: false, close: true });
      report(result);
      process.exit(0);
      break;
    }
    case "serve": {
      const { POST } = await import("@/app/api/v3/integrations/scanners/salt_security/webhook/route");
      const boss = await worker();
      const server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
        const response = await POST(
          new Request(`http://127.0.0.1${req.url ?? "/"}`, { method: req.method, headers, body: Buffer.concat(chunks) }),
        );
        res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      report({ port: (server.address() as AddressInfo).port });
      const stop = async () => {
        server.close();
        await boss.stop({ graceful: false, close: true }).catch(() => {});
        process.exit(0);
      };
      process.on("SIGTERM", () => void stop());
      // Bounded even if the parent dies without stopping it.
      setTimeout(() => void stop(), args.timeoutMs).unref();
      setInterval(() => {}, 60_000);
      break;
    }
    default:
      throw new Error(`unknown BENCH_MODE ${mode}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
