// The events each notification rule announces. Callers pass their own transaction, so an event is queued exactly
// when the change that causes it commits (see outbox.ts); whether the rule is on is decided there.
import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Database, Queryable } from "@/db/client";
import { issues, notificationOutbox, notificationSettings } from "@/db/schema";
import { rowsOf } from "@/db/client";
import { slaDeadlinesPassedBetween } from "@/db/queries/overview";
import { appOrigin } from "@/server/env";
import { kickNotifications, queueNotifications, type NotificationQueueOptions } from "./outbox";

const issueLink = (id: string) => `${appOrigin()}/issues/${id}`;

async function issueTitles(db: Queryable, companyId: string, issueIds: readonly string[]) {
  if (issueIds.length === 0) return [];
  return db
    .select({ id: issues.id, title: issues.title })
    .from(issues)
    .where(and(eq(issues.companyId, companyId), inArray(issues.id, [...issueIds])));
}

/** The database's clock, for "created since" windows that must not depend on the web process's clock. */
export async function databaseNow(db: Queryable): Promise<Date> {
  const [row] = rowsOf<{ now: string | Date }>(await db.execute(sql`select clock_timestamp() as now`));
  return new Date(row!.now);
}

/**
 * New Critical issues an integration's sync created since `since` (the run's start): one event per issue, sent as
 * one message per delivery run. An issue is announced once (its id is the subject).
 */
export async function notifyNewCriticalIssues(
  db: Queryable,
  { companyId, integrationId, since }: { companyId: string; integrationId: string; since: Date },
  options: NotificationQueueOptions = {},
) {
  const created = await db
    .select({ id: issues.id, title: issues.title })
    .from(issues)
    .where(and(eq(issues.companyId, companyId), eq(issues.integrationId, integrationId), eq(issues.severity, "critical"), gte(issues.createdAt, since)))
    .limit(1000);
  return queueNotifications(
    db,
    { companyId, rule: "criticalIssues", events: created.map((i) => ({ subjectKey: i.id, event: { title: i.title, link: issueLink(i.id) } })) },
    options,
  );
}

/** A status write-back that failed after its last attempt. */
export async function notifyFailedWriteBack(
  tx: Queryable,
  { companyId, writeBackId, issueId, reason }: { companyId: string; writeBackId: string; issueId: string; reason: string },
) {
  const [issue] = await issueTitles(tx, companyId, [issueId]);
  return queueNotifications(tx, {
    companyId,
    rule: "failedDeliveries",
    events: [{ subjectKey: `write-back:${writeBackId}`, event: { title: issue?.title ?? "An issue", detail: `Salt not updated: ${reason}`, link: issueLink(issueId) } }],
  });
}

/** Issues whose forward failed after its last attempt (or was refused). */
export async function notifyFailedForwards(
  tx: Queryable,
  { companyId, integrationId, issueIds, reason }: { companyId: string; integrationId: string; issueIds: readonly string[]; reason: string },
) {
  const at = Date.now();
  const rows = await issueTitles(tx, companyId, issueIds);
  return queueNotifications(tx, {
    companyId,
    rule: "failedDeliveries",
    events: rows.map((i) => ({
      subjectKey: `forward:${integrationId}:${i.id}:${at}`,
      event: { title: i.title, detail: `Not in Snapsec VM: ${reason}`, link: issueLink(i.id) },
    })),
  });
}

/** Reconciliation found changes on a domain that no webhook announced (the warning gained this domain). */
export async function notifySilentWebhook(
  tx: Queryable,
  { companyId, integrationId, domain, changes, detectedAt }: { companyId: string; integrationId: string; domain: string; changes: number; detectedAt: string },
) {
  return queueNotifications(tx, {
    companyId,
    rule: "silentWebhook",
    events: [
      {
        subjectKey: `silent-webhook:${integrationId}:${domain}:${detectedAt}`,
        event: {
          title: domain,
          detail: `${changes} ${changes === 1 ? "change" : "changes"} found by reconciliation that no webhook announced — check the Custom Webhook in Salt`,
          link: `${appOrigin()}/integrations/salt-security/settings?tab=webhook`,
        },
      },
    ],
  });
}

/**
 * Open issues whose SLA deadline (Settings → SLA) passed in (since, until]. The first check after the rule is on
 * only sets the mark: breaches older than the rule are on the Overview, not announced one by one.
 */
export async function slaBreachesSince(db: Queryable, companyId: string, since: Date | null, until: Date): Promise<{ id: string; title: string; severity: string }[]> {
  if (!since) return [];
  return slaDeadlinesPassedBetween(db, { companyId, since, until });
}

/** The minute's SLA check: breaches since the last check become events, and the check moves on. */
export async function notifySlaBreaches(db: Database, { companyId, now }: { companyId: string; now: Date }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ since: notificationSettings.slaCheckedAt })
      .from(notificationSettings)
      .where(eq(notificationSettings.companyId, companyId))
      .for("update");
    if (!row) return 0;
    const breached = await slaBreachesSince(tx, companyId, row.since, now);
    await tx.update(notificationSettings).set({ slaCheckedAt: now }).where(eq(notificationSettings.companyId, companyId));
    return queueNotifications(tx, {
      companyId,
      rule: "slaBreaches",
      events: breached.map((i) => ({ subjectKey: `sla:${i.id}:${now.toISOString()}`, event: { title: i.title, detail: `${i.severity} SLA breached`, link: issueLink(i.id) } })),
    });
  });
}

/**
 * The minute's sweep: kicks every company with due events (a retry's wait is over, or a kick was lost) and turns
 * SLA breaches since the last check into events for companies with that rule on.
 */
export async function sweepNotifications(db: Database, { now = new Date(), boss }: { now?: Date } & NotificationQueueOptions = {}) {
  const due = await db
    .selectDistinct({ companyId: notificationOutbox.companyId })
    .from(notificationOutbox)
    .where(lte(notificationOutbox.notBefore, now));
  for (const row of due) await kickNotifications(row, { boss });
  const slaCompanies = await db
    .select({ companyId: notificationSettings.companyId })
    .from(notificationSettings)
    .where(sql`coalesce((${notificationSettings.rules} ->> 'slaBreaches')::boolean, true)`);
  for (const { companyId } of slaCompanies) await notifySlaBreaches(db, { companyId, now });
  return due.length;
}
