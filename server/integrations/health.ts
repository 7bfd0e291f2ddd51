// Each connected integration's health for the Overview: its last successful sync, the runs that failed in the last
// week, its last connection-check error, and — for Salt — the "changes arriving without webhooks" warning, read
// through the same getWebhookHealth the Salt settings page uses.
import { and, eq, gte, max, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { integrations, syncRuns } from "@/db/schema";
import { getWebhookHealth } from "@/server/sync";

export const FAILURE_WINDOW_DAYS = 7;

export async function listIntegrationHealth(db: Database, { companyId, now = new Date() }: { companyId: string; now?: Date }) {
  const since = new Date(now.getTime() - FAILURE_WINDOW_DAYS * 86_400_000);
  const connected = await db
    .select({ id: integrations.id, kind: integrations.kind, lastCheckedAt: integrations.lastCheckedAt, lastCheckError: integrations.lastCheckError })
    .from(integrations)
    .where(and(eq(integrations.companyId, companyId), eq(integrations.state, "connected")));
  return Promise.all(
    connected.map(async (integration) => {
      const scope = and(eq(syncRuns.companyId, companyId), eq(syncRuns.integrationId, integration.id));
      const [[runs], webhook] = await Promise.all([
        db
          .select({
            lastSyncAt: max(syncRuns.finishedAt),
            failures: sql<number>`(count(*) filter (where ${syncRuns.state} = 'failed' and ${gte(syncRuns.queuedAt, since)}))::int`,
          })
          .from(syncRuns)
          .where(scope),
        integration.kind === "salt_security" ? getWebhookHealth(db, { companyId, integrationId: integration.id }) : null,
      ]);
      return {
        ...integration,
        lastSyncAt: runs?.lastSyncAt ?? null,
        failedRuns: Number(runs?.failures ?? 0),
        webhookWarning: webhook?.warning ?? null,
        lastWebhookAt: webhook?.lastAccepted?.receivedAt ?? null,
      };
    }),
  );
}
