/**
 * Reconciliation: a scheduled full sync per integration that catches changes no webhook announced — the silent
 * failure of a misconfigured Custom Webhook template, which Salt never reports.
 *
 * - A tick (pg-boss cron, every 10 minutes) queues a full sync with trigger "reconciliation" for each connected
 *   integration whose interval (settings.reconciliationIntervalHours; 0 = off) has passed since its last one.
 * - When a reconciliation run of a domain changes data and no webhook for that domain was ACCEPTED since the
 *   domain's previous successful run started, the domain goes on the integration's webhook warning with the
 *   evidence (when, how many changes, since when).
 * - Clearing rule: each reconciliation run of a domain rewrites that domain's entry — it is removed when the run
 *   finds nothing unannounced (changes arrived by webhook, or none at all). The warning disappears with its last
 *   domain.
 */
import { and, desc, eq, gte, isNotNull, lt, max, ne, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Database } from "@/db/client";
import { integrations, type SyncCounts, syncRuns, webhookDeliveries, type WebhookWarning } from "@/db/schema";
import { logger } from "@/server/logger";
import { enqueueFullSync } from "./enqueue";

export const RECONCILIATION_CRON = "*/10 * * * *";

/** Queues the reconciliations that are due. Returns the integrations it queued. */
export async function runReconciliationTick(db: Database, { now = new Date(), boss }: { now?: Date; boss?: PgBoss } = {}) {
  const connected = await db
    .select({ id: integrations.id, companyId: integrations.companyId, settings: integrations.settings })
    .from(integrations)
    .where(and(eq(integrations.state, "connected"), eq(integrations.kind, "salt_security")));
  const queued: string[] = [];
  for (const integration of connected) {
    const hours = integration.settings.reconciliationIntervalHours;
    if (!hours) continue;
    const [last] = await db
      .select({ at: max(syncRuns.queuedAt) })
      .from(syncRuns)
      .where(and(eq(syncRuns.companyId, integration.companyId), eq(syncRuns.integrationId, integration.id), eq(syncRuns.trigger, "reconciliation")));
    if (last?.at && now.getTime() - last.at.getTime() < hours * 3_600_000) continue;
    await enqueueFullSync({ companyId: integration.companyId, integrationId: integration.id, trigger: "reconciliation" }, { boss });
    queued.push(integration.id);
  }
  if (queued.length) logger.info("reconciliation queued", { integrations: queued.length });
  return { queued };
}

function changesIn(counts: SyncCounts): number {
  return (
    counts.assetsCreated +
    counts.assetsUpdated +
    counts.assetsDeactivated +
    counts.issuesCreated +
    counts.issuesUpdated +
    counts.issuesClosed +
    counts.issuesReopened
  );
}

/** After a successful reconciliation run of one domain: add, refresh or remove its entry on the webhook warning. */
export async function recordReconciliationFindings(
  db: Database,
  run: { runId: string; companyId: string; integrationId: string; domain: string; counts: SyncCounts },
) {
  const changes = changesIn(run.counts);
  let since: Date | null = null;
  let announced = false;
  if (changes > 0) {
    const [previous] = await db
      .select({ startedAt: syncRuns.startedAt })
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.companyId, run.companyId),
          eq(syncRuns.integrationId, run.integrationId),
          eq(syncRuns.domain, run.domain),
          eq(syncRuns.state, "succeeded"),
          ne(syncRuns.id, run.runId),
          isNotNull(syncRuns.startedAt),
          lt(syncRuns.startedAt, sql`(select started_at from ${syncRuns} where id = ${run.runId})`),
        ),
      )
      .orderBy(desc(syncRuns.startedAt))
      .limit(1);
    since = previous?.startedAt ?? null;
    const [delivery] = await db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.companyId, run.companyId),
          eq(webhookDeliveries.integrationId, run.integrationId),
          eq(webhookDeliveries.domain, run.domain),
          eq(webhookDeliveries.outcome, "accepted"),
          since ? gte(webhookDeliveries.receivedAt, since) : undefined,
        ),
      )
      .limit(1);
    announced = delivery !== undefined;
  }
  const unannounced = changes > 0 && !announced;

  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ warning: integrations.webhookWarning })
      .from(integrations)
      .where(and(eq(integrations.companyId, run.companyId), eq(integrations.id, run.integrationId)))
      .for("update");
    if (!row) return;
    const others = (row.warning?.domains ?? []).filter((d) => d.domain !== run.domain);
    if (!unannounced && others.length === (row.warning?.domains.length ?? 0)) return; // nothing to change
    const now = new Date().toISOString();
    const domains = unannounced
      ? [...others, { domain: run.domain, detectedAt: now, changes, since: since?.toISOString() ?? null }].sort((a, b) =>
          a.domain.localeCompare(b.domain),
        )
      : others;
    const warning: WebhookWarning | null = domains.length ? { detectedAt: now, domains } : null;
    await tx
      .update(integrations)
      .set({ webhookWarning: warning })
      .where(and(eq(integrations.companyId, run.companyId), eq(integrations.id, run.integrationId)));
  });
  if (unannounced) logger.warn("Salt changes arrived without webhooks", { integrationId: run.integrationId, domain: run.domain, changes });
}
