// Benchmark of the asset and issue list queries at scale: seeds 200 FQDNs, 100,000 API assets and ~300,000
// issues into a throwaway PostgreSQL database, then prints p50/p95 per query (target: p95 under 30 ms).
//   npx tsx bench/list-queries.ts [--explain]
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { and, asc, eq, sql } from "drizzle-orm";
import { migrateDatabase, openDatabase } from "@/db/client";
import { assets, companies } from "@/db/schema";
import { getAssetOverview, getDomainActivity, listApis, listFqdnFacets, listFqdnOptions, listFqdns } from "@/db/queries/asset-lists";
import { createCompany } from "@/db/queries/companies";
import { listIssueCategories, listIssues } from "@/db/queries/issues";
import { countSlaStates, meanTimeToFix, weeklyTrend } from "@/db/queries/overview";
import { adminUrl, databaseUrl, ensurePostgresRunning } from "@/test/postgres-server";
import { seedInventory } from "@/test/seed-inventory";

const RUNS = 40;
const WARMUP = 5;
const TARGET_P95_MS = 30;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  await ensurePostgresRunning();
  // BENCH_REUSE=<database> re-runs the queries on a database an earlier BENCH_KEEP=1 run left behind.
  const reuse = process.env.BENCH_REUSE;
  const name = reuse ?? `postura_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  if (!reuse) await admin.unsafe(`create database "${name}"`);
  const handle = openDatabase({ url: databaseUrl(name) }, { poolSize: 4 });
  try {
    await migrateDatabase(handle);
    const { db } = handle;

    let company: { id: string };
    let inventory: { domainIds: string[] };
    if (reuse) {
      [company] = (await db.select({ id: companies.id }).from(companies).where(eq(companies.name, "Bench Co"))) as [{ id: string }];
      const domains = await db
        .select({ id: assets.id })
        .from(assets)
        .where(and(eq(assets.companyId, company.id), eq(assets.assetType, "domain")))
        .orderBy(asc(assets.name));
      inventory = { domainIds: domains.map((d) => d.id) };
    } else {
      const started = performance.now();
      company = await createCompany(db, { name: "Bench Co" });
      const neighbour = await createCompany(db, { name: "Neighbour Co" });
      const seeded = await seedInventory(db, { companyId: company.id, fqdns: 200, apisPerFqdn: 500, issuesPerApi: 3, seed: 7, withCreationHistory: true });
      await seedInventory(db, { companyId: neighbour.id, fqdns: 20, apisPerFqdn: 100, issuesPerApi: 3, seed: 8 });
      console.log(
        `seeded ${seeded.domainIds.length} FQDNs, ${seeded.apiCount} APIs, ${seeded.issueCount} issues in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
      inventory = seeded;
    }
    await db.execute(sql`analyze`);

    const companyId = company.id;
    const [busiest] = inventory.domainIds;
    const threeDomains = inventory.domainIds.slice(10, 13);
    const [someApi] = (await listApis(db, { companyId, sort: "risk", dir: "desc", page: 1 })).rows;

    const queries: [string, () => Promise<unknown>][] = [
      ["fqdns: risk desc, page 1", () => listFqdns(db, { companyId, sort: "risk", dir: "desc", page: 1 })],
      ["fqdns: name asc, search 'pay'", () => listFqdns(db, { companyId, q: "pay", sort: "name", dir: "asc", page: 1 })],
      ["fqdns: impact high + tag 'pci'", () => listFqdns(db, { companyId, impact: ["high"], tag: "pci", sort: "open", dir: "desc", page: 1 })],
      ["fqdns: overview charts", () => getAssetOverview(db, { companyId })],
      ["fqdns: facets", () => listFqdnFacets(db, { companyId })],
      ["fqdns: filter options 'acme'", () => listFqdnOptions(db, { companyId, q: "acme" })],
      ["apis: risk desc, page 1", () => listApis(db, { companyId, sort: "risk", dir: "desc", page: 1 })],
      ["apis: risk desc, page 400 (last)", () => listApis(db, { companyId, sort: "risk", dir: "desc", page: 400 })],
      ["apis: risk asc, page 1", () => listApis(db, { companyId, sort: "risk", dir: "asc", page: 1 })],
      ["apis: name asc, page 1", () => listApis(db, { companyId, sort: "name", dir: "asc", page: 1 })],
      ["apis: open desc, page 10", () => listApis(db, { companyId, sort: "open", dir: "desc", page: 10 })],
      ["apis: one FQDN", () => listApis(db, { companyId, fqdnIds: [busiest!], sort: "risk", dir: "desc", page: 1 })],
      ["apis: three FQDNs, name", () => listApis(db, { companyId, fqdnIds: threeDomains, sort: "name", dir: "asc", page: 2 })],
      ["apis: DELETE, risk 20-60", () => listApis(db, { companyId, methods: ["DELETE"], riskMin: 20, riskMax: 60, sort: "risk", dir: "desc", page: 1 })],
      ["apis: search 'orders'", () => listApis(db, { companyId, q: "orders", sort: "risk", dir: "desc", page: 1 })],
      ["apis: search (rare) 'attachments/{id}'", () => listApis(db, { companyId, q: "attachments/{id}", sort: "risk", dir: "desc", page: 1 })],
      ["issues: severity desc, page 1", () => listIssues(db, { companyId, sort: "severity", dir: "desc", page: 1 })],
      ["issues: open critical", () => listIssues(db, { companyId, severities: ["critical"], statuses: ["identified", "in_progress"], sort: "severity", dir: "desc", page: 1 })],
      ["issues: age, page 200", () => listIssues(db, { companyId, sort: "detected", dir: "asc", page: 200 })],
      ["issues: last activity desc", () => listIssues(db, { companyId, sort: "activity", dir: "desc", page: 1 })],
      ["issues: category 'SSRF'", () => listIssues(db, { companyId, category: "SSRF", sort: "severity", dir: "desc", page: 1 })],
      ["issues: search 'injection'", () => listIssues(db, { companyId, q: "injection", sort: "severity", dir: "desc", page: 1 })],
      ["issues: status risk accepted", () => listIssues(db, { companyId, statuses: ["risk_accepted"], sort: "activity", dir: "desc", page: 3 })],
      ["issues: one FQDN", () => listIssues(db, { companyId, fqdnIds: [busiest!], sort: "severity", dir: "desc", page: 1 })],
      ["issues: one API", () => listIssues(db, { companyId, assetId: someApi!.id, sort: "severity", dir: "desc", page: 1 })],
      ["issues: categories", () => listIssueCategories(db, { companyId })],
      ["fqdn: activity", () => getDomainActivity(db, { companyId, domainId: busiest! })],
      ["overview: SLA breached / due soon counts", () => countSlaStates(db, { companyId })],
      ["overview: weekly trend (12 weeks)", () => weeklyTrend(db, { companyId })],
      ["overview: mean time to fix (12 weeks)", () => meanTimeToFix(db, { companyId })],
      ["issues: SLA breached, page 1", () => listIssues(db, { companyId, sla: "breached", sort: "severity", dir: "desc", page: 1 })],
      ["issues: SLA due soon, page 1", () => listIssues(db, { companyId, sla: "due_soon", sort: "severity", dir: "desc", page: 1 })],
    ];

    console.log(`${"query".padEnd(42)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)}`);
    let slow = 0;
    for (const [label, run] of queries) {
      for (let i = 0; i < WARMUP; i++) await run();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      if (p95 > TARGET_P95_MS) slow++;
      console.log(`${label.padEnd(42)} ${percentile(times, 50).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)}${p95 > TARGET_P95_MS ? "  SLOW" : ""}`);
    }
    console.log(slow ? `\n${slow} quer${slow === 1 ? "y" : "ies"} above the ${TARGET_P95_MS} ms p95 target` : `\nall queries under the ${TARGET_P95_MS} ms p95 target`);
    if (process.env.BENCH_KEEP) console.log(`kept database ${name}`);
  } finally {
    await handle.close();
    if (!process.env.BENCH_KEEP && !reuse) await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
