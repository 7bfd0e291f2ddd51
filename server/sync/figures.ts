// Asset figures kept current after each sync run: open issue count and risk score (server/risk.ts) for a domain
// and every API asset under it. Only assets whose figures changed are written.
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { assets, issues, openIssueStatuses, type RiskInputs, type Severity, severities } from "@/db/schema";
import { computeRisk, emptySeverityCounts } from "@/server/risk";
import { chunks } from "./sql";

function sameInputs(a: RiskInputs | null, b: RiskInputs): boolean {
  if (!a) return false;
  return (
    a.businessImpact === b.businessImpact &&
    a.base === b.base &&
    a.multiplier === b.multiplier &&
    severities.every((s) => (a.openBySeverity?.[s] ?? 0) === b.openBySeverity[s])
  );
}

/** Recomputes the domain's and its API assets' figures from their open issues. Returns how many assets changed. */
export async function recomputeDomainFigures(db: Queryable, { companyId, domainAssetId }: { companyId: string; domainAssetId: string }) {
  const family = await db
    .select({
      id: assets.id,
      assetType: assets.assetType,
      businessImpact: assets.businessImpact,
      riskScore: assets.riskScore,
      riskInputs: assets.riskInputs,
      openIssueCount: assets.openIssueCount,
    })
    .from(assets)
    .where(and(eq(assets.companyId, companyId), or(eq(assets.id, domainAssetId), eq(assets.parentId, domainAssetId))));
  const domain = family.find((a) => a.id === domainAssetId);
  if (!domain) return 0;

  const openCounts = await db
    .select({ assetId: issues.assetId, severity: issues.severity, count: sql<number>`count(*)::int` })
    .from(issues)
    .where(
      and(
        eq(issues.companyId, companyId),
        eq(issues.domainAssetId, domainAssetId),
        inArray(issues.status, [...openIssueStatuses]),
      ),
    )
    .groupBy(issues.assetId, issues.severity);

  const bySeverity = new Map<string, Record<Severity, number>>();
  const domainTotals = emptySeverityCounts();
  for (const row of openCounts) {
    const counts = bySeverity.get(row.assetId) ?? emptySeverityCounts();
    counts[row.severity] += Number(row.count);
    bySeverity.set(row.assetId, counts);
    domainTotals[row.severity] += Number(row.count);
  }

  const changed: { id: string; score: number; inputs: RiskInputs; open: number }[] = [];
  for (const asset of family) {
    // The domain's figures cover every issue under it (issues may also sit on the domain asset itself).
    const counts = asset.id === domainAssetId ? domainTotals : (bySeverity.get(asset.id) ?? emptySeverityCounts());
    const { score, inputs } = computeRisk(counts, domain.businessImpact);
    const open = severities.reduce((sum, s) => sum + counts[s], 0);
    if (asset.riskScore !== score || asset.openIssueCount !== open || !sameInputs(asset.riskInputs, inputs)) {
      changed.push({ id: asset.id, score, inputs, open });
    }
  }

  for (const batch of chunks(changed, 500)) {
    const values = sql.join(
      batch.map((c) => sql`(${c.id}::uuid, ${c.score}::int, ${JSON.stringify(c.inputs)}::jsonb, ${c.open}::int)`),
      sql`, `,
    );
    await db.execute(sql`
      update ${assets} set risk_score = v.score, risk_inputs = v.inputs, open_issue_count = v.open, updated_at = now()
      from (values ${values}) as v(id, score, inputs, open)
      where ${assets.id} = v.id and ${assets.companyId} = ${companyId}`);
  }
  return changed.length;
}

/**
 * The same figures for many top-level assets without children (hosts) at once: one read of the assets, one grouped
 * read of their open issues, and batched writes of those that changed. Returns how many assets changed.
 */
export async function recomputeHostFigures(db: Queryable, { companyId, assetIds }: { companyId: string; assetIds: readonly string[] }) {
  let changedCount = 0;
  for (const ids of chunks([...assetIds], 1000)) {
    const [hosts, openCounts] = await Promise.all([
      db
        .select({ id: assets.id, businessImpact: assets.businessImpact, riskScore: assets.riskScore, riskInputs: assets.riskInputs, openIssueCount: assets.openIssueCount })
        .from(assets)
        .where(and(eq(assets.companyId, companyId), inArray(assets.id, ids))),
      db
        .select({ assetId: issues.domainAssetId, severity: issues.severity, count: sql<number>`count(*)::int` })
        .from(issues)
        .where(and(eq(issues.companyId, companyId), inArray(issues.domainAssetId, ids), inArray(issues.status, [...openIssueStatuses])))
        .groupBy(issues.domainAssetId, issues.severity),
    ]);
    const bySeverity = new Map<string, Record<Severity, number>>();
    for (const row of openCounts) {
      if (!row.assetId) continue;
      const counts = bySeverity.get(row.assetId) ?? emptySeverityCounts();
      counts[row.severity] += Number(row.count);
      bySeverity.set(row.assetId, counts);
    }
    const changed: { id: string; score: number; inputs: RiskInputs; open: number }[] = [];
    for (const host of hosts) {
      const counts = bySeverity.get(host.id) ?? emptySeverityCounts();
      const { score, inputs } = computeRisk(counts, host.businessImpact);
      const open = severities.reduce((sum, s) => sum + counts[s], 0);
      if (host.riskScore !== score || host.openIssueCount !== open || !sameInputs(host.riskInputs, inputs)) changed.push({ id: host.id, score, inputs, open });
    }
    for (const batch of chunks(changed, 500)) {
      const values = sql.join(
        batch.map((c) => sql`(${c.id}::uuid, ${c.score}::int, ${JSON.stringify(c.inputs)}::jsonb, ${c.open}::int)`),
        sql`, `,
      );
      await db.execute(sql`
        update ${assets} set risk_score = v.score, risk_inputs = v.inputs, open_issue_count = v.open, updated_at = now()
        from (values ${values}) as v(id, score, inputs, open)
        where ${assets.id} = v.id and ${assets.companyId} = ${companyId}`);
    }
    changedCount += changed.length;
  }
  return changedCount;
}
