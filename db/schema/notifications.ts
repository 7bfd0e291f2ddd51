// Outgoing notifications per company: where they go (a Slack-compatible webhook, optional SMTP), which rules are
// on, the outbox of events waiting to be sent (written in the same transaction as the event) and each delivery's answer.
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { NotificationChannel, NotificationRule, NotificationRules } from "@/lib/notifications";
import { companies } from "./companies";

/** SMTP settings without the password (kept encrypted in its own column, never sent to the browser). */
export type SmtpSettings = { host: string; port: number; tls: "starttls" | "tls" | "none"; user: string; from: string; recipients: string[] };

export const notificationSettings = pgTable("notification_settings", {
  companyId: uuid("company_id")
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  webhookUrl: text("webhook_url"),
  smtp: jsonb("smtp").$type<SmtpSettings>(),
  smtpPasswordEncrypted: text("smtp_password_encrypted"),
  rules: jsonb("rules").$type<NotificationRules>().notNull(),
  /** Up to when SLA breaches have been looked for (the SLA rule's "since the last notification"). */
  slaCheckedAt: timestamp("sla_checked_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One event for one channel, waiting to be sent; a message coalesces every due event of a rule. */
export type NotificationEvent = { title: string; detail?: string; link?: string };

export const notificationOutbox = pgTable(
  "notification_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    channel: text("channel").$type<NotificationChannel>().notNull(),
    rule: text("rule").$type<NotificationRule | "test">().notNull(),
    /** What the event is about (an issue id, a write-back id…): the same event is queued once per channel. */
    subjectKey: text("subject_key").notNull(),
    event: jsonb("event").$type<NotificationEvent>().notNull(),
    attempts: integer("attempts").notNull().default(0),
    notBefore: timestamp("not_before", { withTimezone: true }).notNull().default(sql`now()`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("notification_outbox_subject_uq").on(t.companyId, t.channel, t.rule, t.subjectKey),
    index("notification_outbox_due_idx").on(t.companyId, t.notBefore),
  ],
);

/** sent: the destination took it; retrying: a retryable answer, tried again later; failed: after the last attempt. */
export const notificationDeliveryStates = ["sent", "retrying", "failed"] as const;

export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    channel: text("channel").$type<NotificationChannel>().notNull(),
    rule: text("rule").$type<NotificationRule | "test">().notNull(),
    eventCount: integer("event_count").notNull(),
    attempt: integer("attempt").notNull(),
    state: text("state").$type<(typeof notificationDeliveryStates)[number]>().notNull(),
    /** The HTTP status code (webhook) or SMTP reply code (e-mail). */
    statusCode: integer("status_code"),
    /** The destination's answer, cut to 500 characters (SMTP's response line, or the start of the HTTP body). */
    response: text("response"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notification_deliveries_company_idx").on(t.companyId, t.createdAt)],
);
