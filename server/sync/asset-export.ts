// "Export assets to Tenable.io": Postura's FQDN and host assets sent through Tenable's asset import, so Tenable can
// scan what Salt discovered. Recorded as a run in the connector's history with the asset-import job ids.
import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { getLiveIntegration } from "@/db/queries/integrations";
import { assets, syncRuns } from "@/db/schema";
import { type AuditActor, recordAudit } from "@/server/audit";
import type { AssetToImport, TenableClientOptions } from "@/server/integrations/tenable";
import { tenableClientForConnector } from "@/server/integrations/tenable/integration-client";
import { ConnectorNotConfiguredError } from "./connector-import";
import { classify } from "./engine";
import { emptySyncCounts, recordRunFinished, recordRunStarted } from "./runs";

/** The `domain` an asset export's run is recorded under. */
export const ASSET_EXPORT_RUN_DOMAIN = "asset export";

export async function exportAssetsToTenable(
  db: Database,
  { companyId, actor }: { companyId: string; actor?: AuditActor },
  clientOptions: Partial<Omit<TenableClientOptions, "accessKey" | "secretKey" | "baseUrl">> = {},
) {
  const connector = await getLiveIntegration(db, { companyId, kind: "tenable_io" });
  if (!connector || connector.state !== "connected" || !connector.credentialsEncrypted) throw new ConnectorNotConfiguredError();
  const runId = randomUUID();
  await recordRunStarted(db, { runId, companyId, integrationId: connector.id, domain: ASSET_EXPORT_RUN_DOMAIN, trigger: "manual" });

  const rows = await db
    .select({ assetType: assets.assetType, name: assets.name, fqdn: assets.fqdn, ipv4: assets.ipv4, hostname: assets.hostname, os: assets.operatingSystem })
    .from(assets)
    .where(and(eq(assets.companyId, companyId), inArray(assets.assetType, ["domain", "host"]), eq(assets.active, true)))
    .orderBy(assets.name);
  const toSend: AssetToImport[] = rows.map((r) => {
    const fqdn = r.assetType === "domain" ? r.name : r.fqdn;
    return {
      ...(fqdn ? { fqdn: [fqdn] } : {}),
      ...(r.ipv4 ? { ipv4: [r.ipv4] } : {}),
      ...(r.hostname ? { hostname: [r.hostname] } : {}),
      ...(r.os ? { operating_system: [r.os] } : {}),
    };
  });

  const counts = emptySyncCounts();
  let error: { code: string; message: string } | null = null;
  let jobs: string[] = [];
  let skipped = 0;
  try {
    const result = await tenableClientForConnector(connector, clientOptions).importAssets(toSend);
    jobs = result.jobs.map((j) => j.jobUuid);
    counts.assetsUpdated = result.jobs.reduce((sum, j) => sum + j.assets, 0);
    skipped = result.skipped.length;
    counts.recordsSkipped = skipped;
  } catch (caught) {
    const { code, message } = classify(caught);
    error = { code, message };
  }
  await recordRunFinished(db, runId, { counts, done: jobs.length, error });
  await db
    .update(syncRuns)
    .set({
      exportRef: jobs.length > 0 ? jobs.join(", ") : null,
      ...(skipped > 0 && !error ? { errorMessage: `${skipped} assets not sent: they have neither an fqdn nor an IPv4.` } : {}),
    })
    .where(eq(syncRuns.id, runId));
  if (actor) {
    await recordAudit(db, {
      companyId,
      actor,
      action: "connector.assets_exported",
      target: { type: "integration", id: connector.id, label: "Tenable.io" },
      details: { assets: counts.assetsUpdated, jobs: jobs.length, failed: error?.code ?? null },
    });
  }
  return { runId, sent: counts.assetsUpdated, jobs, skipped, error };
}
