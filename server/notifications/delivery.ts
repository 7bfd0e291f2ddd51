// The notification-delivery job: a company's due events, one message per channel and rule (a sync run's new
// Critical issues are one message, not one per issue), each delivery recorded with the destination's answer.
// Retryable answers (429 honouring Retry-After, 5xx, timeouts, network) leave the events in the outbox for a later
// attempt with backoff; after the last attempt, or at once for a refusal, the delivery is recorded failed.
import { and, eq, inArray } from "drizzle-orm";
import type { Job } from "pg-boss";
import type { Database } from "@/db/client";
import { dueNotificationEvents, getNotificationSettingsRow } from "@/db/queries/notifications";
import { notificationDeliveries, notificationOutbox } from "@/db/schema";
import { notificationRuleLabels, type NotificationChannel, type NotificationRule } from "@/lib/notifications";
import { formatCount } from "@/lib/format";
import { logger } from "@/server/logger";
import { decryptSecret } from "@/server/security/secrets";
import { kickNotifications, type NotificationJobData } from "./outbox";
import { postToWebhook, sendMail, type SendOutcome, type SlackMessage } from "./senders";

export const NOTIFICATION_MAX_ATTEMPTS = 5;
/** Items listed in one message; the rest are counted. */
const LISTED = 20;

export type DeliveryDeps = {
  now?: () => Date;
  /** The wait before attempt `attempt + 1`: Retry-After when given, else exponential from 5 s up to 10 minutes. */
  retryDelayMs?: (attempt: number, retryAfterMs: number | undefined) => number;
};

const defaultRetryDelay = (attempt: number, retryAfterMs: number | undefined) => retryAfterMs ?? Math.min(5_000 * 2 ** (attempt - 1), 10 * 60_000);

type DueEvent = Awaited<ReturnType<typeof dueNotificationEvents>>[number];

/** Slack reads &, < and > as markup: text from outside (issue titles, hosts) is escaped. */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function headline(rule: NotificationRule | "test", count: number): string {
  switch (rule) {
    case "test":
      return "Test notification from Postura: this destination works.";
    case "criticalIssues":
      return `${formatCount(count, "new Critical issue")} in Postura`;
    case "slaBreaches":
      return `${formatCount(count, "issue")} breached ${count === 1 ? "its" : "their"} SLA`;
    case "failedDeliveries":
      return `${formatCount(count, "write-back or forward", "write-backs or forwards")} failed after the last attempt`;
    case "silentWebhook":
      return "Salt changes are arriving without webhooks";
  }
}

/** The message for a batch of events of one rule, as Slack's incoming-webhook JSON and as an e-mail. */
export function composeMessage(rule: NotificationRule | "test", events: DueEvent[]): { slack: SlackMessage; mail: { subject: string; text: string } } {
  const title = headline(rule, events.length);
  const listed = events.slice(0, LISTED);
  const more = events.length - listed.length;
  const lines = listed.map(({ event }) => {
    const name = event.link ? `<${event.link}|${slackEscape(event.title)}>` : slackEscape(event.title);
    return `• ${name}${event.detail ? ` — ${slackEscape(event.detail)}` : ""}`;
  });
  const context = rule === "test" ? null : notificationRuleLabels[rule].description;
  const slack: SlackMessage = {
    text: title,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${slackEscape(title)}*` } },
      ...(lines.length > 0 && rule !== "test" ? [{ type: "section", text: { type: "mrkdwn", text: [...lines, ...(more > 0 ? [`…and ${more} more`] : [])].join("\n") } }] : []),
      ...(context ? [{ type: "context", elements: [{ type: "mrkdwn", text: slackEscape(context) }] }] : []),
    ],
  };
  const text = [
    title,
    "",
    ...(rule === "test" ? [] : listed.map(({ event }) => `- ${event.title}${event.detail ? ` — ${event.detail}` : ""}${event.link ? `\n  ${event.link}` : ""}`)),
    ...(more > 0 ? [`…and ${more} more`] : []),
    "",
    "— Postura (Settings → Notifications)",
  ].join("\n");
  return { slack, mail: { subject: `[Postura] ${title}`, text } };
}

/** Sends the company's due notifications; returns what happened to each message. */
export async function deliverNotifications(db: Database, { companyId }: NotificationJobData, deps: DeliveryDeps = {}) {
  const now = deps.now?.() ?? new Date();
  const retryDelay = deps.retryDelayMs ?? defaultRetryDelay;
  const due = await dueNotificationEvents(db, { companyId, now });
  const result = { sent: 0, retrying: 0, failed: 0 };
  if (due.length === 0) return result;
  const settings = await getNotificationSettingsRow(db, { companyId });

  const groups = new Map<string, DueEvent[]>();
  for (const row of due) {
    const key = `${row.channel}\u0000${row.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  let nextAttemptAt: Date | null = null;
  for (const events of groups.values()) {
    const { channel, rule } = events[0]!;
    const attempt = Math.max(...events.map((e) => e.attempts)) + 1;
    const message = composeMessage(rule, events);
    const outcome = await send(channel, settings, message);
    const retry = !outcome.ok && outcome.retryable && attempt < NOTIFICATION_MAX_ATTEMPTS;
    const state = outcome.ok ? "sent" : retry ? "retrying" : "failed";
    const ids = events.map((e) => e.id);
    const at = retry ? new Date(now.getTime() + retryDelay(attempt, outcome.ok ? undefined : outcome.retryAfterMs)) : null;
    await db.transaction(async (tx) => {
      await tx.insert(notificationDeliveries).values({
        companyId,
        channel,
        rule,
        eventCount: events.length,
        attempt,
        state,
        statusCode: outcome.statusCode,
        response: outcome.ok ? outcome.response : outcome.response,
        error: outcome.ok ? null : outcome.error,
      });
      if (at) {
        await tx
          .update(notificationOutbox)
          .set({ attempts: attempt, notBefore: at })
          .where(and(eq(notificationOutbox.companyId, companyId), inArray(notificationOutbox.id, ids)));
      } else {
        await tx.delete(notificationOutbox).where(and(eq(notificationOutbox.companyId, companyId), inArray(notificationOutbox.id, ids)));
      }
    });
    result[state === "sent" ? "sent" : state]++;
    if (state === "failed") logger.warn("notification failed", { companyId, channel, rule, attempt, statusCode: outcome.statusCode });
    if (at && (!nextAttemptAt || at < nextAttemptAt)) nextAttemptAt = at;
  }
  // The retry's own kick; the minute's sweep kicks again should this one be lost.
  if (nextAttemptAt) await kickNotifications({ companyId }, { startAfter: nextAttemptAt });
  return result;
}

async function send(
  channel: NotificationChannel,
  settings: Awaited<ReturnType<typeof getNotificationSettingsRow>>,
  message: ReturnType<typeof composeMessage>,
): Promise<SendOutcome> {
  if (channel === "webhook") {
    if (!settings?.webhookUrl) return { ok: false, retryable: false, statusCode: null, response: null, error: "No webhook URL is set any more." };
    return postToWebhook(settings.webhookUrl, message.slack);
  }
  if (!settings?.smtp) return { ok: false, retryable: false, statusCode: null, response: null, error: "No SMTP settings any more." };
  const password = settings.smtpPasswordEncrypted ? decryptSecret(settings.smtpPasswordEncrypted) : null;
  return sendMail(settings.smtp, password, message.mail);
}

export function createNotificationHandler(getDatabase: () => Database) {
  return async (jobs: Job<unknown>[]) => {
    for (const job of jobs) await deliverNotifications(getDatabase(), job.data as NotificationJobData);
  };
}
