// Associating Salt hosts with Postura (the wizard's Configuration step) and detaching them again.
import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { getIntegrationById, listDomainsOfRemovedIntegrations, moveDomainsToIntegration } from "@/db/queries/integrations";
import { assets } from "@/db/schema";
import { enqueueDomainSync, type EnqueueOptions } from "./enqueue";
import { differsFromProposed, proposed } from "./sql";

export class IntegrationNotFoundError extends Error {
  constructor() {
    super("Integration not found.");
    this.name = "IntegrationNotFoundError";
  }
}

/**
 * Creates an FQDN asset per host (idempotent: an associated host is left alone, a detached one is re-enabled)
 * and queues a first sync for each one created or re-enabled. Given a transaction, the jobs commit with it.
 */
export async function associateDomains(
  db: Queryable,
  { companyId, integrationId, hosts }: { companyId: string; integrationId: string; hosts: string[] },
  options: Omit<EnqueueOptions, "db"> = {},
): Promise<{ created: { id: string; host: string }[] }> {
  const integration = await getIntegrationById(db, { companyId, id: integrationId });
  if (!integration || integration.state === "removed") throw new IntegrationNotFoundError();
  const unique = [...new Set(hosts.map((h) => h.trim()).filter((h) => h !== ""))];
  if (unique.length === 0) return { created: [] };

  const rows = await db
    .insert(assets)
    .values(
      unique.map((host) => ({
        companyId,
        assetType: "domain" as const,
        name: host,
        externalRef: host,
        source: integration.kind,
        integrationId,
        syncEnabled: true,
      })),
    )
    .onConflictDoUpdate({
      target: [assets.companyId, assets.assetType, assets.externalRef],
      set: {
        source: proposed(assets.source),
        integrationId: proposed(assets.integrationId),
        syncEnabled: sql`true`,
        updatedAt: sql`now()`,
      },
      setWhere: differsFromProposed([assets.source, assets.integrationId, assets.syncEnabled]),
    })
    .returning({ id: assets.id, host: assets.externalRef });

  for (const row of rows) {
    await enqueueDomainSync({ companyId, integrationId, domain: row.host, trigger: "first_sync" }, { ...options, db });
  }
  return { created: rows };
}

/**
 * Re-attaches domains an earlier, removed integration of the same kind synced: the same FQDN asset rows (and the
 * APIs and issues under them) move to this integration and their sync is queued. Ids that are not such a domain of
 * the company are ignored; the answer names the hosts re-attached.
 */
export async function reattachDomains(
  db: Queryable,
  { companyId, integrationId, assetIds }: { companyId: string; integrationId: string; assetIds: string[] },
  options: Omit<EnqueueOptions, "db"> = {},
): Promise<{ reattached: { id: string; host: string }[] }> {
  const integration = await getIntegrationById(db, { companyId, id: integrationId });
  if (!integration || integration.state === "removed") throw new IntegrationNotFoundError();
  const domains = await listDomainsOfRemovedIntegrations(db, { companyId, kind: integration.kind, assetIds });
  await moveDomainsToIntegration(db, { companyId, kind: integration.kind, integrationId, domainIds: domains.map((d) => d.id) });
  const { created } = await associateDomains(db, { companyId, integrationId, hosts: domains.map((d) => d.host) }, options);
  return { reattached: created };
}

/** Stops syncing a domain. Its assets and issues stay, as they were last synced. */
export async function detachDomain(
  db: Queryable,
  { companyId, integrationId, assetId }: { companyId: string; integrationId: string; assetId: string },
): Promise<{ detached: boolean }> {
  const rows = await db
    .update(assets)
    .set({ syncEnabled: false, updatedAt: new Date() })
    .where(
      and(
        eq(assets.companyId, companyId),
        eq(assets.integrationId, integrationId),
        eq(assets.id, assetId),
        eq(assets.assetType, "domain"),
        eq(assets.syncEnabled, true),
      ),
    )
    .returning({ id: assets.id });
  return { detached: rows.length > 0 };
}
