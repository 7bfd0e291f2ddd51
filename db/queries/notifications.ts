// Notification settings, outbox and deliveries, always scoped to a company. The SMTP password's ciphertext never
// leaves this layer except through the function that says so.
import { and, asc, desc, eq, lte } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { notificationDeliveries, notificationOutbox, notificationSettings } from "@/db/schema";
import { defaultNotificationRules } from "@/lib/notifications";

/** The company's settings with the stored SMTP password ciphertext (server use only). */
export async function getNotificationSettingsRow(db: Queryable, { companyId }: { companyId: string }) {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.companyId, companyId));
  return row ?? null;
}

/** What a browser may see: the password only as "set or not". */
export async function getPublicNotificationSettings(db: Queryable, { companyId }: { companyId: string }) {
  const row = await getNotificationSettingsRow(db, { companyId });
  return {
    webhookUrl: row?.webhookUrl ?? "",
    smtp: row?.smtp ?? null,
    smtpPasswordSet: Boolean(row?.smtpPasswordEncrypted),
    rules: { ...defaultNotificationRules, ...row?.rules },
  };
}

export async function saveNotificationSettings(
  db: Queryable,
  { companyId, values }: { companyId: string; values: Omit<typeof notificationSettings.$inferInsert, "companyId" | "updatedAt"> },
) {
  await db
    .insert(notificationSettings)
    .values({ companyId, ...values })
    .onConflictDoUpdate({ target: notificationSettings.companyId, set: { ...values, updatedAt: new Date() } });
}

/** Events whose time has come, oldest first. */
export async function dueNotificationEvents(db: Queryable, { companyId, now, limit = 500 }: { companyId: string; now: Date; limit?: number }) {
  return db
    .select()
    .from(notificationOutbox)
    .where(and(eq(notificationOutbox.companyId, companyId), lte(notificationOutbox.notBefore, now)))
    .orderBy(asc(notificationOutbox.createdAt))
    .limit(limit);
}

export async function recentNotificationDeliveries(db: Queryable, { companyId, limit = 50 }: { companyId: string; limit?: number }) {
  return db
    .select()
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.companyId, companyId))
    .orderBy(desc(notificationDeliveries.createdAt))
    .limit(limit);
}
