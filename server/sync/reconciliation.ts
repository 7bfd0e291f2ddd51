/**
 * Reconciliation: a scheduled full sync per integration that catches changes no webhook announced — the silent
 * failure of a misconfigured Custom Webhook template, which Salt never reports.
 *
 * - A tick (pg-boss cron, every 10 minutes) queues a full sync with trigger "reconciliation" for each connected
 *   integration whose interval (settings.reconciliationIntervalHours; 0 = off) has passed since its last one.
 * - When a reconciliation run of a domain changes issues and no webhook for that domain was ACCEPTED since the
 *   domain's previous successful run started, the domain goes on the integration's webhook warning with the
 *   evidence (when, how many changes, since when). Only issue changes count: Salt's Custom Webhook fires on
 *   posture-gap events only, so a new endpoint or a relabelled host arrives without a webhook even when the
 *   template is right, and must not raise the warning.
 * - Clearing rule (see recordWebhookEvidence): a domain's entry stays until Salt shows its webhook works for that
 *   domain — a webhook-triggered sync of it succeeds, or a later reconciliation finds its changes announced.
 */
import { and, desc, eq, gte, isNotNull, lt, max, ne, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Database, Queryable } from "@/db/client";
import { integrations, type SyncCounts, syncRuns, type SyncTrigger, webhookDeliveries, type webhookOutcomes, type WebhookWarning } from "@/db/schema";
import { logger } from "@/server/logger";
import { notifySilentWebhook } from "@/server/notifications/rules";
import { enqueueFullSync } from "./enqueue";
import { closeAbandonedRuns } from "./runs";

export const RECONCILIATION_CRON = "*/10 * * * *";

/** Queues the reconciliations that are due. Returns the integrations it queued. */
export async function runReconciliationTick(db: Database, { now = new Date(), boss }: { now?: Date; boss?: PgBoss } = {}) {
  // Each tick also ends the runs no worker is left to end (runs.ts).
  await closeAbandonedRuns(db, now);
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

/** What the integration shows while the warning stands. */
export const WEBHOOK_WARNING_MESSAGE = "Salt changes are arriving without webhooks — check the Custom Webhook template";

/**
 * The changes a working webhook would have announced: posture-gap changes, which reach Postura as issues created,
 * updated, closed or reopened. Asset-only changes (endpoints discovered or gone, labels) are left out: Salt sends
 * no webhook for them.
 */
export function announceableChanges(counts: SyncCounts): number {
  return counts.issuesCreated + counts.issuesUpdated + counts.issuesClosed + counts.issuesReopened;
}

type DomainRun = {
  runId: string;
  companyId: string;
  integrationId: string;
  domain: string;
  trigger: SyncTrigger;
  counts: SyncCounts;
  /**
   * The integration's warning as the run read it when it started (undefined: not read). Only a reconciliation run of
   * the same domain adds the domain to it, and runs of one domain never overlap (the queue's stately policy), so a
   * webhook run can judge from it without reading the row again.
   */
  warningAtStart?: WebhookWarning | null;
};
type WarningEntry = WebhookWarning["domains"][number];

/** Start of the domain's previous successful run before this one: the period a webhook should have covered. */
async function previousRunStart(db: Queryable, run: DomainRun): Promise<Date | null> {
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
  return previous?.startedAt ?? null;
}

/** Whether Postura accepted a webhook for the domain since `since` (ever, when null). */
async function acceptedSince(db: Queryable, run: DomainRun, since: Date | null): Promise<boolean> {
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
  return delivery !== undefined;
}

/** Replaces (entry) or removes (null) the domain's entry on the warning, under the integration's row lock. */
async function setWarningEntry(
  db: Database,
  run: DomainRun,
  decide: (current: WarningEntry | undefined, tx: Queryable) => Promise<WarningEntry | null | "keep">,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ warning: integrations.webhookWarning })
      .from(integrations)
      .where(and(eq(integrations.companyId, run.companyId), eq(integrations.id, run.integrationId)))
      .for("update");
    if (!row) return;
    const current = row.warning?.domains.find((d) => d.domain === run.domain);
    const next = await decide(current, tx);
    if (next === "keep" || (next === null && !current)) return;
    // A domain newly on the warning is news an admin may want pushed (the "silent webhook" rule).
    if (next && !current) {
      await notifySilentWebhook(tx, { companyId: run.companyId, integrationId: run.integrationId, domain: run.domain, changes: next.changes, detectedAt: next.detectedAt });
    }
    const domains = [...(row.warning?.domains ?? []).filter((d) => d.domain !== run.domain), ...(next ? [next] : [])].sort((a, b) =>
      a.domain.localeCompare(b.domain),
    );
    const warning: WebhookWarning | null = domains.length
      ? { detectedAt: domains.map((d) => d.detectedAt).reduce((a, b) => (a > b ? a : b)), domains }
      : null;
    await tx
      .update(integrations)
      .set({ webhookWarning: warning })
      .where(and(eq(integrations.companyId, run.companyId), eq(integrations.id, run.integrationId)));
  });
}

/**
 * After a successful run of one domain: what it says about the domain's webhook.
 *
 * Clearing rule — a domain's entry stays until Salt shows that its webhook works for that domain:
 * - a webhook-triggered run of the domain succeeds (such a run exists only because a delivery was accepted), or
 * - a reconciliation finds changes on the domain that an accepted webhook did announce, or finds none while a
 *   webhook for the domain was accepted after the entry was recorded.
 * A reconciliation that finds no changes and no accepted webhook keeps the entry: silence proves nothing, and a
 * quiet domain must not make the warning come and go. One that again finds unannounced changes refreshes the entry
 * with the latest evidence. The warning disappears with its last domain.
 */
export async function recordWebhookEvidence(db: Database, run: DomainRun) {
  if (run.trigger === "webhook") {
    // Cheap check first: most webhook runs find no warning to clear and should not lock the integration row.
    const warning =
      run.warningAtStart !== undefined
        ? run.warningAtStart
        : (await db.select({ warning: integrations.webhookWarning }).from(integrations).where(and(eq(integrations.companyId, run.companyId), eq(integrations.id, run.integrationId))))[0]?.warning;
    if (warning?.domains.some((d) => d.domain === run.domain)) await setWarningEntry(db, run, async () => null);
    return;
  }
  if (run.trigger !== "reconciliation") return;

  const changes = announceableChanges(run.counts);
  const since = changes > 0 ? await previousRunStart(db, run) : null;
  const unannounced = changes > 0 && !(await acceptedSince(db, run, since));
  await setWarningEntry(db, run, async (current, tx) => {
    if (unannounced) {
      return { domain: run.domain, detectedAt: new Date().toISOString(), changes, since: since?.toISOString() ?? null };
    }
    if (changes > 0) return null; // announced: the webhook works for this domain
    if (current && (await acceptedSince(tx, run, new Date(current.detectedAt)))) return null;
    return "keep";
  });
  if (unannounced) logger.warn("Salt changes arrived without webhooks", { integrationId: run.integrationId, domain: run.domain, changes });
}

const deliveryColumns = {
  receivedAt: webhookDeliveries.receivedAt,
  domain: webhookDeliveries.domain,
  event: webhookDeliveries.event,
  httpStatus: webhookDeliveries.httpStatus,
  reason: webhookDeliveries.reason,
};

async function lastDelivery(db: Database, scope: { companyId: string; integrationId: string }, outcome: (typeof webhookOutcomes)[number]) {
  const [row] = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.companyId, scope.companyId),
        eq(webhookDeliveries.integrationId, scope.integrationId),
        eq(webhookDeliveries.outcome, outcome),
      ),
    )
    .orderBy(desc(webhookDeliveries.receivedAt))
    .limit(1);
  return row ?? null;
}

/**
 * The integration's webhook health, for everyone in the company: the reconciliation warning (with its message and
 * evidence) and the newest accepted and rejected deliveries. Never the token (deliveries never hold it).
 */
export async function getWebhookHealth(db: Database, scope: { companyId: string; integrationId: string }) {
  const [row] = await db
    .select({ warning: integrations.webhookWarning, settings: integrations.settings })
    .from(integrations)
    .where(and(eq(integrations.companyId, scope.companyId), eq(integrations.id, scope.integrationId)));
  if (!row) return null;
  const [lastAccepted, lastRejected] = await Promise.all([lastDelivery(db, scope, "accepted"), lastDelivery(db, scope, "rejected")]);
  return {
    warning: row.warning ? { message: WEBHOOK_WARNING_MESSAGE, ...row.warning } : null,
    reconciliationIntervalHours: row.settings.reconciliationIntervalHours,
    lastAccepted,
    lastRejected,
  };
}
