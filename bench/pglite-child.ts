// The PGlite pass of `npm run bench` (BENCH_PGLITE=1): the same first sync and re-syncs on embedded PGlite (the
// single-machine default), in this process — PGlite is one WASM instance in the process that opens it, so the sync,
// its queue (pg-boss's PGlite backend) and the database share it, and its peak RSS includes the database's. The
// Salt simulator stays in the parent. Steps come from the parent over IPC, one at a time:
//   first  — associate the hosts and work the domain-sync queue until every run ended
//   copy   — the limit's database half: the rows the sync wrote COPYed out and into scratch copies of their tables
//   resync — a full manual sync, worked until every run ended
// Each step answers {step, result}; "stop" ends the process.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";

type Args = { hosts: string[]; apiKey: string; timeoutMs: number };
type Step = "first" | "copy" | "resync" | "stop";

const args = JSON.parse(process.env.BENCH_ARGS ?? "{}") as Args;
const dataDir = mkdtempSync(path.join(tmpdir(), "postura-bench-pglite-"));
process.env.DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

let peakRss = process.memoryUsage().rss;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25).unref();
/** The kernel's high-water mark since the last reset is not resettable: report the sampled peak of each step. */
function stepPeak() {
  const peak = Math.max(peakRss, process.memoryUsage().rss);
  peakRss = process.memoryUsage().rss;
  return Math.round(peak / 1048576);
}

async function main() {
  const { openDatabase, migrateDatabase, rowsOf } = await import("@/db/client");
  const { setProcessDatabase } = await import("@/server/db");
  const { getBoss } = await import("@/server/jobs/runtime");
  const { jobHandlers } = await import("@/server/jobs/handlers");
  const { QUEUES } = await import("@/server/jobs/queues");
  const { associateDomains, enqueueFullSync } = await import("@/server/sync");
  const { seedSaltTenant } = await import("@/test/sync-fixtures");
  const { waitFor } = await import("./lib");

  const handle = openDatabase({ dataDir: path.join(dataDir, "db") });
  await migrateDatabase(handle);
  if (handle.kind !== "pglite") throw new Error("unreachable");
  setProcessDatabase(handle);
  const db = handle.db;
  const tenant = await seedSaltTenant(handle, { keys: { usFull: { key: args.apiKey } } } as never);
  const companyId = tenant.company.id;
  const integrationId = tenant.integration.id;
  const boss = await getBoss();
  const definition = jobHandlers[QUEUES.domainSync];
  if (!definition) throw new Error("no domain-sync handler");
  await boss.work(QUEUES.domainSync, definition.options, definition.handler);

  const drained = async (trigger: "first_sync" | "manual", since: Date) => {
    await waitFor(
      async () => {
        const [row] = rowsOf<{ open: number; ended: number }>(
          await db.execute(sql`select
            (select count(*) from pgboss.job where name = 'domain-sync' and state in ('created', 'retry', 'active'))::int as open,
            (select count(*) from sync_runs where integration_id = ${integrationId}::uuid and trigger = ${trigger}::sync_trigger
               and queued_at >= ${since.toISOString()}::timestamptz and state in ('succeeded', 'partial', 'failed'))::int as ended`),
        );
        return Number(row?.open) === 0 && Number(row?.ended) >= args.hosts.length;
      },
      `${args.hosts.length} ${trigger} runs on PGlite`,
      args.timeoutMs,
      50,
    );
    const [states] = rowsOf<{ succeeded: number; failed: number }>(
      await db.execute(sql`select count(*) filter (where state in ('succeeded', 'partial'))::int as succeeded,
        count(*) filter (where state = 'failed')::int as failed from sync_runs
        where integration_id = ${integrationId}::uuid and trigger = ${trigger}::sync_trigger and queued_at >= ${since.toISOString()}::timestamptz`),
    );
    return { succeeded: Number(states?.succeeded ?? 0), failed: Number(states?.failed ?? 0) };
  };

  const steps: Record<Exclude<Step, "stop">, () => Promise<unknown>> = {
    async first() {
      stepPeak();
      const since = new Date(Date.now() - 1000);
      const started = performance.now();
      await associateDomains(db, { companyId, integrationId, hosts: args.hosts });
      const states = await drained("first_sync", since);
      const ms = performance.now() - started;
      const [stored] = rowsOf<{ apis: number; issues: number }>(
        await db.execute(sql`select (select count(*) from assets where company_id = ${companyId}::uuid and asset_type = 'api')::int as apis,
          (select count(*) from issues where company_id = ${companyId}::uuid)::int as issues`),
      );
      return { ms, ...states, apis: Number(stored?.apis), issues: Number(stored?.issues), peakRssMb: stepPeak() };
    },
    async copy() {
      const tables: [string, string][] = [
        ["assets", "asset_type = 'api'"],
        ["issues", "true"],
        ["status_history", "true"],
        ["asset_tags", "true"],
      ];
      let ms = 0;
      let rows = 0;
      for (const [table, where] of tables) {
        const columns = rowsOf<{ column_name: string }>(
          await db.execute(sql`select column_name from information_schema.columns
            where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER' order by ordinal_position`),
        )
          .map((c) => `"${c.column_name}"`)
          .join(", ");
        // PGlite's COPY goes through a blob: out of the real table, into a copy with the same columns and indexes.
        const out = await handle.pglite.query(`copy (select ${columns} from ${table} where company_id = '${companyId}' and ${where}) to '/dev/blob'`);
        const blob = out.blob!;
        await handle.pglite.exec(`create table bench_copy_${table} (like ${table} including all)`);
        const t0 = performance.now();
        await handle.pglite.query(`copy bench_copy_${table} (${columns}) from '/dev/blob'`, [], { blob });
        ms += performance.now() - t0;
        const [count] = (await handle.pglite.query<{ n: number }>(`select count(*)::int as n from bench_copy_${table}`)).rows;
        rows += Number(count?.n ?? 0);
        await handle.pglite.exec(`drop table bench_copy_${table}`);
      }
      return { ms, rows };
    },
    async resync() {
      stepPeak();
      const since = new Date(Date.now() - 1000);
      const started = performance.now();
      await enqueueFullSync({ companyId, integrationId, trigger: "manual" });
      const states = await drained("manual", since);
      return { ms: performance.now() - started, ...states, peakRssMb: stepPeak() };
    },
  };

  process.on("message", (message: { step: Step }) => {
    void (async () => {
      if (message.step === "stop") {
        await boss.stop({ graceful: false, close: true }).catch(() => {});
        await handle.close().catch(() => {});
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      }
      try {
        process.send?.({ step: message.step, result: await steps[message.step]() });
      } catch (error) {
        process.send?.({ step: message.step, error: String((error as Error).stack ?? error) });
      }
    })();
  });
  process.send?.({ step: "ready", result: { dataDir } });
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
});
