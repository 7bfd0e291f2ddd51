// Benchmark of the asset and issue list queries at scale: seeds 200 FQDNs, 100,000 API assets and ~300,000
// issues (with owners, Snapsec VM links and a saved view) into a throwaway PostgreSQL database, then prints p50/p95
// per query (target: p95 under 30 ms), the Issues filters included: open by default, multi-select, owner,
// forwarding state and a saved view applied.
//   npx tsx bench/list-queries.ts   (BENCH_KEEP=1 keeps the database; BENCH_REUSE=<database> re-runs on it;
//   BENCH_ONLY=<regular expression> runs only the queries whose label matches it)
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { and, asc, eq, sql } from "drizzle-orm";
import { migrateDatabase, openDatabase } from "@/db/client";
import { assets, companies, forwardLinks, integrations, user } from "@/db/schema";
import { getAssetOverview, getDomainActivity, listApis, listFqdnFacets, listFqdnOptions, listFqdns } from "@/db/queries/asset-lists";
import { createCompany } from "@/db/queries/companies";
import { listIssueCategories, listIssues } from "@/db/queries/issues";
import { createSavedView, listSavedViews } from "@/db/queries/saved-views";
import { canonicalIssueFilter, issueFilterQuery, loadIssueSearchParams } from "@/app/(app)/issues/search-params";
import { resolveIssueFilter } from "@/server/issues/filter";
import { countSlaStates, meanTimeToFix, meanTimeToFixFromHistory, weeklyTrend, weeklyTrendFromHistory } from "@/db/queries/overview";
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
      await seedTriage(db, company.id);
    }
    // As autovacuum would soon after a bulk load: sets the visibility map, so index-only scans skip the heap.
    await db.execute(sql`vacuum analyze`);

    const companyId = company.id;
    const [busiest] = inventory.domainIds;
    const threeDomains = inventory.domainIds.slice(10, 13);
    const [someApi] = (await listApis(db, { companyId, sort: "risk", dir: "desc", page: 1 })).rows;

    const owner = BENCH_OWNER;
    // A saved view applied: its stored query string read back into the list's filter, as opening it does.
    const [view] = await listSavedViews(db, { companyId, userId: owner });
    if (!view) throw new Error("no saved view to apply: re-seed (a BENCH_REUSE database from before saved views lacks one)");
    const viewFilter = resolveIssueFilter(issueFilterQuery(loadIssueSearchParams(new URLSearchParams(view.query))), { companyId, userId: owner });

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
      ["issues: category 'SSRF'", () => listIssues(db, { companyId, categories: ["SSRF"], sort: "severity", dir: "desc", page: 1 })],
      ["issues: search 'injection'", () => listIssues(db, { companyId, q: "injection", sort: "severity", dir: "desc", page: 1 })],
      ["issues: status risk accepted", () => listIssues(db, { companyId, statuses: ["risk_accepted"], sort: "activity", dir: "desc", page: 3 })],
      ["issues: one FQDN", () => listIssues(db, { companyId, fqdnIds: [busiest!], sort: "severity", dir: "desc", page: 1 })],
      ["issues: one API", () => listIssues(db, { companyId, assetId: someApi!.id, sort: "severity", dir: "desc", page: 1 })],
      ["issues: categories", () => listIssueCategories(db, { companyId })],
      ["issues: open (the default), page 1", () => listIssues(db, { companyId, state: "open", sort: "severity", dir: "desc", page: 1 })],
      ["issues: closed, last activity", () => listIssues(db, { companyId, state: "closed", sort: "activity", dir: "desc", page: 1 })],
      ["issues: open, critical+high, 3 categories", () =>
        listIssues(db, { companyId, state: "open", severities: ["critical", "high"], categories: ["SSRF", "BOLA", "Injection"], sort: "severity", dir: "desc", page: 1 })],
      ["issues: open, owner me", () => listIssues(db, { companyId, state: "open", ownerUserIds: [owner], sort: "severity", dir: "desc", page: 1 })],
      ["issues: open, unassigned", () => listIssues(db, { companyId, state: "open", unassigned: true, sort: "severity", dir: "desc", page: 1 })],
      ["issues: open, sources salt+manual", () => listIssues(db, { companyId, state: "open", sources: ["salt_security", "manual"], sort: "detected", dir: "asc", page: 5 })],
      ["issues: forwarding failed", () => listIssues(db, { companyId, state: "all", forwarding: ["failed"], sort: "severity", dir: "desc", page: 1 })],
      ["issues: forwarding in VM, open", () => listIssues(db, { companyId, state: "open", forwarding: ["forwarded"], sort: "severity", dir: "desc", page: 1 })],
      ["issues: not forwarded, open", () => listIssues(db, { companyId, state: "open", forwarding: ["not_forwarded"], sort: "severity", dir: "desc", page: 1 })],
      ["issues: saved view applied", () => listIssues(db, { ...viewFilter, sort: "severity", dir: "desc", page: 1 })],
      ["issues: saved views menu", () => listSavedViews(db, { companyId, userId: owner })],
      ["fqdn: activity", () => getDomainActivity(db, { companyId, domainId: busiest! })],
      ["overview: SLA breached / due soon counts", () => countSlaStates(db, { companyId })],
      ["overview: weekly trend (12 weeks)", () => weeklyTrend(db, { companyId })],
      ["overview: mean time to fix (12 weeks)", () => meanTimeToFix(db, { companyId })],
      // What the two read before the rollup (migration 0007), for the comparison in the same run.
      ["(before) weekly trend from status_history", () => weeklyTrendFromHistory(db, { companyId })],
      ["(before) mean time to fix from status_history", () => meanTimeToFixFromHistory(db, { companyId })],
      ["issues: SLA breached, page 1", () => listIssues(db, { companyId, sla: "breached", sort: "severity", dir: "desc", page: 1 })],
      ["issues: SLA due soon, page 1", () => listIssues(db, { companyId, sla: "due_soon", sort: "severity", dir: "desc", page: 1 })],
    ];

    // The Overview must show the same figures from the rollup as from the history it replaces.
    const now = new Date();
    const [trend, trendBefore, mttf, mttfBefore] = await Promise.all([
      weeklyTrend(db, { companyId, now }),
      weeklyTrendFromHistory(db, { companyId, now }),
      meanTimeToFix(db, { companyId, now }),
      meanTimeToFixFromHistory(db, { companyId, now }),
    ]);
    const sameMttf = Object.entries(mttf).every(([severity, m]) => {
      const before = mttfBefore[severity as keyof typeof mttfBefore];
      return m.fixes === before.fixes && (m.meanDays === null ? before.meanDays === null : Math.abs(m.meanDays - (before.meanDays ?? NaN)) < 1e-6);
    });
    console.log(`rollup equals the history queries: trend ${JSON.stringify(trend) === JSON.stringify(trendBefore) ? "yes" : "NO"}, mean time to fix ${sameMttf ? "yes" : "NO"}\n`);

    console.log(`${"query".padEnd(42)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)}`);
    let slow = 0;
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
    for (const [label, run] of queries) {
      if (only && !only.test(label)) continue;
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

const BENCH_OWNER = "bench-owner";

/**
 * What triage adds to the seeded issues: an owner on every 20th, a Snapsec VM link on every 10th (in each state
 * in turn), and a member's saved view (open Critical and High, theirs or unassigned, not yet in VM).
 */
async function seedTriage(db: ReturnType<typeof openDatabase>["db"], companyId: string) {
  await db.insert(user).values({ id: BENCH_OWNER, name: "Bench Owner", email: "owner@bench.example" });
  await db.execute(sql`update issues set owner_user_id = ${BENCH_OWNER} where company_id = ${companyId} and hashtext(id::text) % 20 = 0`);
  const [vm] = await db.insert(integrations).values({ companyId, kind: "snapsec_vm", state: "connected" }).returning({ id: integrations.id });
  await db.execute(sql`insert into ${forwardLinks} (company_id, integration_id, issue_id, external_id, state)
    select company_id, ${vm!.id}, id, id::text, (array['forwarded','failed','filtered','pending'])[1 + abs(hashtext(id::text)) % 4]::forward_state
    from issues where company_id = ${companyId} and abs(hashtext(id::text)) % 10 = 1`);
  await createSavedView(db, {
    companyId,
    userId: BENCH_OWNER,
    name: "Mine and unassigned, critical",
    query: canonicalIssueFilter("severity=critical,high&owner=me,none&forward=not_forwarded,failed"),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
