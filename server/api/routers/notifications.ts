// Settings → Notifications: where notifications go (a Slack-compatible webhook, optional SMTP), which rules are on,
// a test message, and the recent deliveries with their answers. Every member reads; admins change.
import { randomUUID } from "node:crypto";
import { getPublicNotificationSettings, getNotificationSettingsRow, recentNotificationDeliveries, saveNotificationSettings } from "@/db/queries/notifications";
import { notificationSettingsInput } from "@/lib/notifications";
import { can, refusalMessages } from "@/server/api/permissions";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { recordAudit } from "@/server/audit";
import { queueNotifications } from "@/server/notifications/outbox";
import { encryptSecret } from "@/server/security/secrets";
import { TRPCError } from "@trpc/server";

const manage = permissionProcedure("notifications:manage");

export const notificationsRouter = createTRPCRouter({
  settings: companyProcedure.query(async ({ ctx }) => {
    const canManage = can(ctx.member, "notifications:manage");
    return {
      ...(await getPublicNotificationSettings(ctx.db, { companyId: ctx.company.id })),
      canManage,
      manageRefusal: canManage ? null : refusalMessages["notifications:manage"],
    };
  }),

  deliveries: companyProcedure.query(({ ctx }) => recentNotificationDeliveries(ctx.db, { companyId: ctx.company.id })),

  /**
   * Saves the destinations and rules. A blank SMTP password keeps the stored one; the password is stored encrypted
   * and never returned. An empty webhook URL and `smtp: null` turn that channel off.
   */
  save: manage.input(notificationSettingsInput).mutation(async ({ ctx, input }) => {
    const current = await getNotificationSettingsRow(ctx.db, { companyId: ctx.company.id });
    const password = input.smtp?.password;
    const smtpPasswordEncrypted = !input.smtp ? null : password ? encryptSecret(password) : (current?.smtpPasswordEncrypted ?? null);
    const smtp = input.smtp ? { host: input.smtp.host, port: input.smtp.port, tls: input.smtp.tls, user: input.smtp.user, from: input.smtp.from, recipients: input.smtp.recipients } : null;
    await ctx.db.transaction(async (tx) => {
      await saveNotificationSettings(tx, {
        companyId: ctx.company.id,
        values: { webhookUrl: input.webhookUrl || null, smtp, smtpPasswordEncrypted, rules: input.rules },
      });
      await recordAudit(tx, {
        companyId: ctx.company.id,
        actor: ctx.actor,
        action: "notifications.settings_changed",
        target: { type: "company", id: ctx.company.id, label: "Notifications" },
        // Never the password, and the URL only by host: a Slack webhook URL is itself a secret.
        details: {
          webhookHost: input.webhookUrl ? new URL(input.webhookUrl).host : null,
          smtpHost: smtp?.host ?? null,
          recipients: smtp?.recipients.length ?? 0,
          passwordReplaced: Boolean(password),
          rules: input.rules,
        },
      });
    });
    return getPublicNotificationSettings(ctx.db, { companyId: ctx.company.id });
  }),

  /** Queues a test message to every configured channel, through the same outbox and job as real notifications. */
  sendTest: manage.mutation(async ({ ctx }) => {
    const queued = await ctx.db.transaction(async (tx) => {
      const rows = await queueNotifications(tx, {
        companyId: ctx.company.id,
        rule: "test",
        events: [{ subjectKey: randomUUID(), event: { title: "Test notification" } }],
      });
      if (rows > 0) {
        await recordAudit(tx, { companyId: ctx.company.id, actor: ctx.actor, action: "notifications.test_sent", target: { type: "company", id: ctx.company.id, label: "Notifications" } });
      }
      return rows;
    });
    if (queued === 0) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Set a webhook URL or SMTP settings and save them first." });
    return { channels: queued };
  }),
});
