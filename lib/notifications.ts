// Notification rules and destinations, in the words the Settings → Notifications page shows; shared by the page
// (to say what is wrong before sending) and the server (which decides).
import { z } from "zod";
import { isLoopbackHost } from "@/lib/connectors";
import { userText } from "@/lib/validation/text";

export const notificationRules = ["criticalIssues", "slaBreaches", "failedDeliveries", "silentWebhook"] as const;
export type NotificationRule = (typeof notificationRules)[number];
export const notificationRuleLabels: Record<NotificationRule, { label: string; description: string }> = {
  criticalIssues: { label: "New Critical issues", description: "One message per sync run or batch, listing the new Critical issues." },
  slaBreaches: { label: "SLA breaches", description: "Issues whose SLA was breached since the last message." },
  failedDeliveries: { label: "Failed write-backs and forwards", description: "A status write-back or a forward that failed after its last attempt." },
  silentWebhook: { label: "Salt changes arriving without webhooks", description: "Reconciliation found changes no webhook announced." },
};
export type NotificationRules = Record<NotificationRule, boolean>;
export const defaultNotificationRules: NotificationRules = { criticalIssues: true, slaBreaches: true, failedDeliveries: true, silentWebhook: true };

export const notificationChannels = ["webhook", "email"] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/** Why a webhook URL is refused, or null: https, or plain http to a loopback address only; no credentials in it. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a full URL, e.g. https://hooks.slack.com/services/….";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "The webhook URL must start with https://.";
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) return "The webhook URL must use https (plain http only for a loopback address such as 127.0.0.1).";
  if (url.username || url.password) return "Leave user name and password out of the URL.";
  return null;
}

export const smtpTlsModes = ["starttls", "tls", "none"] as const;
export const smtpTlsLabels: Record<(typeof smtpTlsModes)[number], string> = {
  starttls: "STARTTLS (usually port 587)",
  tls: "TLS from the start (usually port 465)",
  none: "None (loopback relays only)",
};

const email = z.email("Enter an e-mail address such as security@example.com.").max(254);

export const smtpSettingsInput = z
  .object({
    host: userText({ max: 253 }).pipe(z.string().min(1, "Enter the SMTP host.")),
    port: z.number().int().min(1, "The port is between 1 and 65535.").max(65535, "The port is between 1 and 65535."),
    tls: z.enum(smtpTlsModes),
    user: userText({ max: 254 }).default(""),
    /** Blank keeps the stored password (the form never receives it). */
    password: z.string().max(1000).optional(),
    from: email,
    recipients: z.array(email).min(1, "Add at least one recipient.").max(20, "At most 20 recipients."),
  })
  .refine((s) => s.tls !== "none" || isLoopbackHost(s.host), { message: "Without TLS, only a loopback relay (127.0.0.1) is allowed: the password would travel in clear.", path: ["tls"] });

export const notificationSettingsInput = z.object({
  webhookUrl: z
    .string()
    .trim()
    .max(2000, "The webhook URL is at most 2,000 characters.")
    .superRefine((v, ctx) => {
      const problem = v === "" ? null : webhookUrlProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  smtp: smtpSettingsInput.nullable(),
  rules: z.object(Object.fromEntries(notificationRules.map((r) => [r, z.boolean()])) as Record<NotificationRule, z.ZodBoolean>),
});
export type NotificationSettingsInput = z.infer<typeof notificationSettingsInput>;
