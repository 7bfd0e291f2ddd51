// Integration rows, always scoped to a company. Credentials and token ciphertexts never leave this layer
// except through the functions that say so.
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "@/db/client";
import { assets, type IntegrationKind, integrations, issues, webhookDeliveries } from "@/db/schema";

/** The columns a browser may see. No ciphertext, no hash. */
export const publicIntegrationColumns = {
  id: integrations.id,
  kind: integrations.kind,
  state: integrations.state,
  wizardStep: integrations.wizardStep,
  region: integrations.region,
  canWriteBack: integrations.canWriteBack,
  settings: integrations.settings,
  lastCheckedAt: integrations.lastCheckedAt,
  lastCheckError: integrations.lastCheckError,
  webhookWarning: integrations.webhookWarning,
  createdAt: integrations.createdAt,
  updatedAt: integrations.updatedAt,
  removedAt: integrations.removedAt,
};

export async function getIntegrationById(db: Queryable, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.companyId, companyId), eq(integrations.id, id)));
  return row ?? null;
}

export async function getLiveIntegration(db: Queryable, { companyId, kind }: { companyId: string; kind: IntegrationKind }) {
  const [row] = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.companyId, companyId), eq(integrations.kind, kind), ne(integrations.state, "removed")));
  return row ?? null;
}

/** The company's live integration of `kind`, creating a draft when there is none (two racing calls get one row). */
export async function getOrCreateDraftIntegration(db: Queryable, { companyId, kind }: { companyId: string; kind: IntegrationKind }) {
  const existing = await getLiveIntegration(db, { companyId, kind });
  if (existing) return existing;
  await db
    .insert(integrations)
    .values({ companyId, kind, state: "draft", wizardStep: "credentials" })
    .onConflictDoNothing({ target: [integrations.companyId, integrations.kind], where: sql`${integrations.state} <> 'removed'` });
  const created = await getLiveIntegration(db, { companyId, kind });
  if (!created) throw new Error("draft integration was not created");
  return created;
}

type IntegrationPatch = Partial<
  Pick<
    typeof integrations.$inferInsert,
    | "state"
    | "wizardStep"
    | "region"
    | "baseUrl"
    | "customHeadersEncrypted"
    | "forwarding"
    | "daysSince"
    | "credentialsEncrypted"
    | "canWriteBack"
    | "settings"
    | "webhookTokenHash"
    | "webhookTokenEncrypted"
    | "previousWebhookTokenHash"
    | "previousWebhookTokenExpiresAt"
    | "lastCheckedAt"
    | "lastCheckError"
    | "removedAt"
  >
>;

/** Updates a live (not removed) integration of the company; null when there is none with this id. */
export async function updateLiveIntegration(db: Queryable, { companyId, id }: { companyId: string; id: string }, patch: IntegrationPatch) {
  const [row] = await db
    .update(integrations)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(integrations.companyId, companyId), eq(integrations.id, id), ne(integrations.state, "removed")))
    .returning();
  return row ?? null;
}

/** The FQDN assets an integration syncs, oldest first (the Configuration step's table). */
export async function listAssociatedDomains(db: Queryable, { companyId, integrationId }: { companyId: string; integrationId: string }) {
  return db
    .select({
      id: assets.id,
      host: assets.externalRef,
      createdAt: assets.createdAt,
      lastSyncedAt: assets.lastSyncedAt,
      active: assets.active,
      // What the domain holds now (not what its last run changed): the Configuration table's "25 APIs · 36 open".
      openIssueCount: assets.openIssueCount,
      // Spelled out: inside the subquery an interpolated column renders unqualified and would mean api's own.
      apiCount: sql<number>`(select count(*)::int from assets as api where api.company_id = assets.company_id and api.parent_id = assets.id and api.active)`,
    })
    .from(assets)
    .where(
      and(
        eq(assets.companyId, companyId),
        eq(assets.integrationId, integrationId),
        eq(assets.assetType, "domain"),
        eq(assets.syncEnabled, true),
      ),
    )
    .orderBy(asc(assets.createdAt), asc(assets.externalRef));
}

/** The distinct labels on the integration's assets (domains and APIs), each with how many assets carry it. */
export async function listIntegrationLabels(db: Queryable, { companyId, integrationId }: { companyId: string; integrationId: string }) {
  const result = await db.execute(sql`
    select label, count(*)::int as assets
    from ${assets}, unnest(${assets.labels}) as label
    where ${assets.companyId} = ${companyId} and ${assets.integrationId} = ${integrationId}
    group by label
    order by label
    limit 500`);
  return rowsOf<{ label: string; assets: number }>(result).map((r) => ({ label: r.label, assets: Number(r.assets) }));
}

/** Stops syncing every domain of an integration (on removal); the assets and their issues stay. */
export async function detachAllDomains(db: Queryable, { companyId, integrationId }: { companyId: string; integrationId: string }) {
  const rows = await db
    .update(assets)
    .set({ syncEnabled: false, updatedAt: new Date() })
    .where(
      and(
        eq(assets.companyId, companyId),
        eq(assets.integrationId, integrationId),
        eq(assets.assetType, "domain"),
        eq(assets.syncEnabled, true),
      ),
    )
    .returning({ id: assets.id });
  return rows.length;
}

/** The ids of the company's removed integrations of `kind` (a removed one stays as history). */
function removedIntegrationIds(db: Queryable, { companyId, kind }: { companyId: string; kind: IntegrationKind }) {
  return db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.companyId, companyId), eq(integrations.kind, kind), eq(integrations.state, "removed")));
}

/**
 * FQDN assets an earlier, since removed, integration of `kind` synced, and that no live one has taken over: what a
 * reconnected integration may re-attach. Only `assetIds` when given.
 */
export async function listDomainsOfRemovedIntegrations(
  db: Queryable,
  { companyId, kind, assetIds }: { companyId: string; kind: IntegrationKind; assetIds?: string[] },
) {
  return db
    .select({
      id: assets.id,
      host: assets.externalRef,
      integrationId: assets.integrationId,
      lastSyncedAt: assets.lastSyncedAt,
      openIssueCount: assets.openIssueCount,
    })
    .from(assets)
    .where(
      and(
        eq(assets.companyId, companyId),
        eq(assets.assetType, "domain"),
        inArray(assets.integrationId, removedIntegrationIds(db, { companyId, kind })),
        assetIds ? inArray(assets.id, assetIds) : undefined,
      ),
    )
    .orderBy(asc(assets.externalRef))
    .limit(1000);
}

/**
 * Moves domains of removed integrations, with the APIs under them and their issues, to a live integration: the same
 * rows, so history, owners and comments stay, and the "not syncing" mark goes at once rather than at the next sync.
 * Syncing itself is switched on by the caller (associateDomains).
 */
export async function moveDomainsToIntegration(
  db: Queryable,
  { companyId, kind, integrationId, domainIds }: { companyId: string; kind: IntegrationKind; integrationId: string; domainIds: string[] },
) {
  if (domainIds.length === 0) return;
  const removed = removedIntegrationIds(db, { companyId, kind });
  await db
    .update(assets)
    .set({ integrationId, updatedAt: new Date() })
    .where(
      and(
        eq(assets.companyId, companyId),
        inArray(assets.integrationId, removed),
        sql`(${inArray(assets.id, domainIds)} or ${inArray(assets.parentId, domainIds)})`,
      ),
    );
  await db
    .update(issues)
    .set({ integrationId })
    .where(and(eq(issues.companyId, companyId), inArray(issues.integrationId, removed), inArray(issues.domainAssetId, domainIds)));
}

const deliveryColumns = {
  receivedAt: webhookDeliveries.receivedAt,
  domain: webhookDeliveries.domain,
  event: webhookDeliveries.event,
  outcome: webhookDeliveries.outcome,
  httpStatus: webhookDeliveries.httpStatus,
  reason: webhookDeliveries.reason,
};

/** The newest delivery Postura took in (accepted or ignored) and the newest it refused, for the Webhook panel. */
export async function lastWebhookDeliveries(db: Queryable, { companyId, integrationId }: { companyId: string; integrationId: string }) {
  const scope = and(eq(webhookDeliveries.companyId, companyId), eq(webhookDeliveries.integrationId, integrationId));
  const [received] = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .where(and(scope, ne(webhookDeliveries.outcome, "rejected")))
    .orderBy(desc(webhookDeliveries.receivedAt))
    .limit(1);
  const [rejected] = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .where(and(scope, eq(webhookDeliveries.outcome, "rejected")))
    .orderBy(desc(webhookDeliveries.receivedAt))
    .limit(1);
  return { received: received ?? null, rejected: rejected ?? null };
}
