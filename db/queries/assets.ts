// Asset reads and edits, always scoped to a company.
import { and, eq, getTableColumns, or } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { assets, type BusinessImpact } from "@/db/schema";
import { computeRisk, emptySeverityCounts } from "@/server/risk";

// Everything but the search vector, which only the lists' search reads.
const { searchVector: _searchVector, ...assetColumns } = getTableColumns(assets);

export async function getAssetById(db: Queryable, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select(assetColumns)
    .from(assets)
    .where(and(eq(assets.companyId, companyId), eq(assets.id, id)));
  return row ?? null;
}

/**
 * Sets a domain's business impact and recomputes the risk score of it and of its API assets from their
 * stored inputs (no issue scan needed). Returns null when the asset is not the company's.
 */
export async function setBusinessImpact(
  db: Queryable,
  { companyId, id, businessImpact }: { companyId: string; id: string; businessImpact: BusinessImpact },
) {
  const asset = await getAssetById(db, { companyId, id });
  if (!asset) return null;
  const domainId = asset.assetType === "domain" ? asset.id : asset.parentId;
  if (!domainId) return null;
  const family = await db
    .select({ id: assets.id, riskInputs: assets.riskInputs })
    .from(assets)
    .where(and(eq(assets.companyId, companyId), or(eq(assets.id, domainId), eq(assets.parentId, domainId))));
  const now = new Date();
  for (const member of family) {
    const { score, inputs } = computeRisk(member.riskInputs?.openBySeverity ?? emptySeverityCounts(), businessImpact);
    await db
      .update(assets)
      .set({ businessImpact, riskScore: score, riskInputs: inputs, updatedAt: now })
      .where(and(eq(assets.companyId, companyId), eq(assets.id, member.id)));
  }
  return getAssetById(db, { companyId, id });
}
