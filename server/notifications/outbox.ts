// Queuing a notification: the event goes into the notification outbox in the caller's transaction (one row per
// configured channel, only when its rule is on), and the company's delivery job is kicked with the same
// transaction, so a rolled-back event is never sent. A job per company (stately) coalesces a burst into one run.
import { sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import type { Queryable } from "@/db/client";
import { getNotificationSettingsRow } from "@/db/queries/notifications";
import { notificationOutbox, type NotificationEvent } from "@/db/schema";
import { defaultNotificationRules, type NotificationChannel, type NotificationRule } from "@/lib/notifications";
import { QUEUES } from "@/server/jobs/queues";
import { getBoss } from "@/server/jobs/runtime";

export type NotificationJobData = { companyId: string };
export type NotificationQueueOptions = { boss?: PgBoss };

/** The channels a company has set up (a webhook URL; SMTP with recipients). */
export function configuredChannels(row: Awaited<ReturnType<typeof getNotificationSettingsRow>>): NotificationChannel[] {
  if (!row) return [];
  return [...(row.webhookUrl ? ["webhook" as const] : []), ...(row.smtp && row.smtp.recipients.length > 0 ? ["email" as const] : [])];
}

/** Starts (or keeps) the company's delivery job; inside a transaction pass it (PGlite has one connection). */
export async function kickNotifications(data: NotificationJobData, { tx, startAfter, ...options }: NotificationQueueOptions & { tx?: Queryable; startAfter?: Date } = {}) {
  const boss = options.boss ?? (await getBoss());
  await boss.send(QUEUES.notificationDelivery, data, {
    singletonKey: data.companyId,
    ...(startAfter ? { startAfter } : {}),
    ...(tx ? { db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql) } : {}),
  });
}

/**
 * Queues events of one rule for the company, if the rule is on and a channel is set up; returns how many rows were
 * written. `subjectKey` makes an event idempotent per channel (the same issue is announced once).
 */
export async function queueNotifications(
  tx: Queryable,
  { companyId, rule, events }: { companyId: string; rule: NotificationRule | "test"; events: { subjectKey: string; event: NotificationEvent }[] },
  options: NotificationQueueOptions = {},
): Promise<number> {
  if (events.length === 0) return 0;
  const settings = await getNotificationSettingsRow(tx, { companyId });
  const channels = configuredChannels(settings);
  const on = rule === "test" || ({ ...defaultNotificationRules, ...settings?.rules } as Record<NotificationRule, boolean>)[rule];
  if (!on || channels.length === 0) return 0;
  const rows = await tx
    .insert(notificationOutbox)
    .values(channels.flatMap((channel) => events.map((e) => ({ companyId, channel, rule, subjectKey: e.subjectKey, event: e.event }))))
    .onConflictDoNothing()
    .returning({ id: notificationOutbox.id });
  if (rows.length > 0) await kickNotifications({ companyId }, { ...options, tx });
  return rows.length;
}

