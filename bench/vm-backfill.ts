// `npm run bench:vm`: forwarding Postura's issues into Snapsec VM at scale (issue 16), against the physical limit
// measured in the same run. On a throwaway PostgreSQL database, with the VM simulator on loopback:
//   1. the limit: every issue's row read (the job's own query) and the same records posted in the same batches of
//      500 by a bare fetch (bench/vm-child.ts, mode limit)
//   2. Forward existing issues (backfill) of 100,000 issues into one assessment, through the issue-forward queue
//      and the worker's real handler, in a child process whose peak RSS is forwarding's alone
//   3. a status change made in Postura, until VM shows it (20 rounds, worker running)
//   BENCH_ISSUES=10000 npm run bench:vm     a smaller run (a smoke test)
import { eq, sql } from "drizzle-orm";
import { createThrowawayDatabase, ms, newDatabase, percentile, posturaEnv, runChildForResult, seconds, sleep, spawnTsx, waitFor } from "./lib";

const ISSUES = Number(process.env.BENCH_ISSUES ?? 100_000);
const APIS_PER_FQDN = 100;
const ISSUES_PER_API = 5;
const TARGET = { issuesPerSecond: 5_000, ofLimit: 3, rssMb: 400, statusP50Ms: 2_000 };
const ROUNDS = 20;

async function main() {
  const started = Date.now();
  const planned = newDatabase("postura_vmbench");
  const env = posturaEnv(planned.url, { APP_URL: "http://127.0.0.1:3000" });
  Object.assign(process.env, env);
  const database = await createThrowawayDatabase(planned.name);
  const { openDatabase } = await import("@/db/client");
  const { createCompany, createMemberWithPassword } = await import("@/db/queries/companies");
  const { seedInventory } = await import("@/test/seed-inventory");
  const { defaultForwardingSettings, defaultIntegrationSettings, integrations, issues } = await import("@/db/schema");
  const { sealVmCredentials, sealVmCustomHeaders } = await import("@/server/integrations/snapsec-vm");
  const { startSnapsecVmSimulator } = await import("@/tools/snapsec-vm-simulator");
  const { externalIdOf } = await import("@/server/forwarding/job");
  const { changeIssueStatusByUser } = await import("@/server/issues/status");
  const { createBoss, startBoss } = await import("@/server/jobs/boss");
  const handle = openDatabase({ url: database.url }, { poolSize: 4 });
  const vm = await startSnapsecVmSimulator({ port: 0 });
  const lines: [string, string, string][] = [];
  const add = (measure: string, value: string, target = "") => {
    lines.push([measure, value, target]);
    console.log(`  ${measure}: ${value}${target ? `  (${target})` : ""}`);
  };
  try {
    const { db } = handle;
    const company = await createCompany(db, { name: "Bench Co" });
    const { userId } = await createMemberWithPassword(db, {
      companyId: company.id,
      email: "analyst@bench.example",
      name: "Bench Analyst",
      password: "bench-password-2026",
      role: "analyst",
    });
    const fqdns = Math.ceil(ISSUES / (APIS_PER_FQDN * ISSUES_PER_API));
    const seededAt = performance.now();
    const seeded = await seedInventory(db, { companyId: company.id, fqdns, apisPerFqdn: APIS_PER_FQDN, issuesPerApi: ISSUES_PER_API, seed: 16 });
    await db.execute(sql`analyze`);
    console.log(`Postura bench:vm — ${seeded.issueCount} issues on ${fqdns} FQDNs, seeded in ${seconds(performance.now() - seededAt)}\n`);

    const limitAssessment = vm.state.createAssessment({ name: "Limit" }).assessment;
    const assessment = vm.state.createAssessment({ name: "Backfill" }).assessment;
    const [integration] = await db
      .insert(integrations)
      .values({
        companyId: company.id,
        kind: "snapsec_vm",
        state: "connected",
        wizardStep: "done",
        baseUrl: vm.url,
        credentialsEncrypted: sealVmCredentials(vm.keys.admin.key),
        customHeadersEncrypted: sealVmCustomHeaders({}),
        settings: {
          ...defaultIntegrationSettings,
          severityFilter: { critical: true, high: true, medium: true, low: true, notification: true },
        },
        forwarding: { ...defaultForwardingSettings, unifiedAssessment: { id: assessment.id, name: assessment.name } },
      })
      .returning();
    const args = {
      companyId: company.id,
      integrationId: integration!.id,
      assessmentId: limitAssessment.id,
      vmUrl: vm.url,
      apiKey: vm.keys.admin.key,
      issues: seeded.issueCount,
      timeoutMs: 20 * 60_000,
    };

    console.log("[1/3] the physical limit: read every row, post the same batches with a bare client");
    const limit = await runChildForResult<{ ms: number; readMs: number; posted: number }>(
      "bench/vm-child.ts",
      { ...env, BENCH_MODE: "limit", BENCH_ARGS: JSON.stringify(args) },
      args.timeoutMs,
    );
    add("limit: read rows + post batches", `${seconds(limit.ms)} (reading ${seconds(limit.readMs)}; ${limit.posted} records)`);

    console.log("\n[2/3] Forward existing issues: the issue-forward queue and its real handler");
    const backfill = await runChildForResult<{ ms: number; queuedMs: number; forwarded: number; other: number; peakRssMb: number }>(
      "bench/vm-child.ts",
      { ...env, BENCH_MODE: "backfill", BENCH_ARGS: JSON.stringify(args) },
      args.timeoutMs,
    );
    const inVm = vm.state.listVulnerabilities({ offset: 0, limit: 1 }, { assessmentId: assessment.id }).total;
    const rate = (seeded.issueCount / backfill.ms) * 1000;
    const ratio = backfill.ms / limit.ms;
    add("backfill: wall time", `${seconds(backfill.ms)} (queuing the outbox ${seconds(backfill.queuedMs)}); links forwarded ${backfill.forwarded}, other ${backfill.other}; records in VM ${inVm}`, `${inVm === seeded.issueCount && backfill.other === 0 ? "exact ok" : "MISSED"}`);
    add("backfill: issues/s", String(Math.round(rate)), `≥ ${TARGET.issuesPerSecond} ${rate >= TARGET.issuesPerSecond ? "ok" : "MISSED"}`);
    add("backfill / limit", `${ratio.toFixed(2)}×`, `≤ ${TARGET.ofLimit}× ${ratio <= TARGET.ofLimit ? "ok" : "MISSED"}`);
    add("backfill: peak RSS of the worker", `${backfill.peakRssMb} MB`, `< ${TARGET.rssMb} MB ${backfill.peakRssMb < TARGET.rssMb ? "ok" : "MISSED"}`);

    console.log(`\n[3/3] a status change in Postura until VM shows it (${ROUNDS} rounds)`);
    const worker = spawnTsx("bench/vm-child.ts", { ...env, BENCH_MODE: "serve", BENCH_ARGS: JSON.stringify(args) });
    let out = "";
    worker.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    worker.stderr?.on("data", (c: Buffer) => (out += c.toString()));
    const boss = createBoss(handle);
    await startBoss(boss);
    try {
      await waitFor(() => out.includes('"serving":true'), "the forwarding worker", 60_000);
      const picked = await db.select({ id: issues.id, status: issues.status }).from(issues).where(eq(issues.companyId, company.id)).limit(ROUNDS);
      const latencies: number[] = [];
      for (const issue of picked) {
        const to = issue.status === "in_progress" ? "identified" : "in_progress";
        const expected = to === "in_progress" ? "In Progress" : "Pending";
        const at = performance.now();
        await changeIssueStatusByUser(db, { companyId: company.id, issueId: issue.id, status: to, userId }, { boss });
        await waitFor(() => vm.state.getVulnerability(externalIdOf(issue.id))?.status === expected, "VM to show the status", 60_000, 10);
        latencies.push(performance.now() - at);
        await sleep(100);
      }
      latencies.sort((a, b) => a - b);
      const p50 = percentile(latencies, 50);
      add("status change → visible in VM, p50 / p95", `${ms(p50)} / ${ms(percentile(latencies, 95))}`, `p50 < ${TARGET.statusP50Ms} ms ${p50 < TARGET.statusP50Ms ? "ok" : "MISSED"}`);
    } finally {
      await boss.stop({ graceful: false, close: true });
      worker.kill("SIGTERM");
    }

    const width = Math.max(...lines.map((l) => l[0].length));
    const valueWidth = Math.max(...lines.map((l) => l[1].length));
    console.log(`\n${"measure".padEnd(width)}  ${"value".padEnd(valueWidth)}  target`);
    for (const [a, b, c] of lines) console.log(`${a.padEnd(width)}  ${b.padEnd(valueWidth)}  ${c}`.trimEnd());
    console.log(`\nbench:vm finished in ${seconds(Date.now() - started)}`);
  } finally {
    await vm.close();
    await handle.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
