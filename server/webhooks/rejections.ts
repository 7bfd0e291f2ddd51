/**
 * Refused webhook deliveries come from anyone on the internet, so what they cost is bounded here:
 *
 * - Per source address: after SOURCE_REJECTIONS refusals in a minute, that address gets 429 for a minute
 *   before any database work (checked by the webhook route).
 * - Per integration: at most INTEGRATION_ROWS_PER_MINUTE refused deliveries a minute become rows, and only the
 *   newest REJECTED_DELIVERIES_KEPT are kept; every refusal adds to a counter (webhook_rejection_tallies),
 *   so the settings page still shows how many there were.
 * - A refusal that names no company's integration (unknown company, no company_id) never becomes a row: no
 *   admin could see it. It is counted in the metrics and logged.
 *
 * The limiters live in each web process's memory (rate-limiter-flexible's memory store), not in PostgreSQL:
 * a shared store would cost a database write per refused request, which is the load being shed. With N web
 * processes an address may get N times the budget; the row bound does not depend on it, because it is
 * enforced in the database by the same transaction that inserts the row.
 */
import { and, desc, eq, notInArray, sql } from "drizzle-orm";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Queryable } from "@/db/client";
import { webhookDeliveries, webhookRejectionTallies } from "@/db/schema";
import { logger } from "@/server/logger";
import { clientIpFromHeaders } from "@/server/security/client-ip";

export const REJECTED_DELIVERIES_KEPT = 20;
export const SOURCE_REJECTIONS_PER_MINUTE = 20;
export const INTEGRATION_ROWS_PER_MINUTE = 30;

type Limiters = { source: RateLimiterMemory; integration: RateLimiterMemory };
const globalForLimits = globalThis as unknown as { __posturaWebhookLimits?: Limiters };

function newLimiters(): Limiters {
  return {
    source: new RateLimiterMemory({ keyPrefix: "webhook-rejected-source", points: SOURCE_REJECTIONS_PER_MINUTE, duration: 60, blockDuration: 60 }),
    integration: new RateLimiterMemory({ keyPrefix: "webhook-rejected-integration", points: INTEGRATION_ROWS_PER_MINUTE, duration: 60 }),
  };
}

function limiters(): Limiters {
  return (globalForLimits.__posturaWebhookLimits ??= newLimiters());
}

/** Test seam: forget every address's and integration's budget. */
export function resetWebhookLimits(): void {
  globalForLimits.__posturaWebhookLimits = newLimiters();
}

/** Seconds until `source` may be heard again, or null when it is within its budget of refusals. */
export async function sourceRetryAfter(source: string): Promise<number | null> {
  const state = await limiters().source.get(source);
  if (!state || state.consumedPoints < SOURCE_REJECTIONS_PER_MINUTE) return null;
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

/** Counts one refusal against `source`'s budget. */
export async function noteRejectionFrom(source: string): Promise<void> {
  // consume() rejects once the budget is spent; the next sourceRetryAfter() answers for that.
  await limiters().source.consume(source).catch(() => undefined);
}

export type RejectedDelivery = {
  companyId?: string | null;
  integrationId?: string | null;
  domain?: string | null;
  event?: string | null;
  httpStatus: number;
  reason: string;
};

/** Text from an unauthenticated request, kept as data: no control characters, bounded. */
function asData(text: string | null | undefined, max: number): string | null {
  if (text == null) return null;
  return text.replace(/\p{Cc}/gu, "").slice(0, max);
}

/**
 * Records a refused delivery within the bounds above. Returns the row's id, or null when no row was kept.
 * Never throws: the answer matters more to the sender than our record of it.
 */
export async function recordRejectedDelivery(db: Queryable, delivery: RejectedDelivery): Promise<string | null> {
  const { companyId, integrationId } = delivery;
  if (!companyId || !integrationId) {
    logger.info("webhook rejected", { httpStatus: delivery.httpStatus, reason: delivery.reason });
    return null;
  }
  const keepRow = await limiters().integration.consume(integrationId).then(
    () => true,
    () => false,
  );
  try {
    return await db.transaction(async (tx) => {
      await tx
        .insert(webhookRejectionTallies)
        .values({ integrationId, companyId, rejectedTotal: 1 })
        .onConflictDoUpdate({
          target: webhookRejectionTallies.integrationId,
          set: { rejectedTotal: sql`${webhookRejectionTallies.rejectedTotal} + 1`, lastRejectedAt: sql`now()` },
        });
      if (!keepRow) return null;
      const [row] = await tx
        .insert(webhookDeliveries)
        .values({
          companyId,
          integrationId,
          domain: asData(delivery.domain, 253),
          event: asData(delivery.event, 200),
          outcome: "rejected",
          httpStatus: delivery.httpStatus,
          reason: asData(delivery.reason, 500),
        })
        .returning({ id: webhookDeliveries.id });
      const rejectedOf = and(eq(webhookDeliveries.integrationId, integrationId), eq(webhookDeliveries.outcome, "rejected"));
      const newest = tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(rejectedOf)
        .orderBy(desc(webhookDeliveries.receivedAt), desc(webhookDeliveries.id))
        .limit(REJECTED_DELIVERIES_KEPT);
      await tx.delete(webhookDeliveries).where(and(rejectedOf, notInArray(webhookDeliveries.id, newest)));
      return row?.id ?? null;
    });
  } catch (error) {
    logger.error("webhook rejection not recorded", { error });
    return null;
  }
}

/** How many deliveries an integration has refused in all (rows beyond the newest few are not kept). */
export async function rejectedDeliveryTotal(db: Queryable, { companyId, integrationId }: { companyId: string; integrationId: string }): Promise<number> {
  const [tally] = await db
    .select({ total: webhookRejectionTallies.rejectedTotal })
    .from(webhookRejectionTallies)
    .where(and(eq(webhookRejectionTallies.companyId, companyId), eq(webhookRejectionTallies.integrationId, integrationId)));
  return tally?.total ?? 0;
}

/** Deletes deliveries older than `retentionDays` (the scheduled purge). Returns how many went. */
export async function purgeOldDeliveries(db: Queryable, { retentionDays }: { retentionDays: number }): Promise<number> {
  const deleted = await db
    .delete(webhookDeliveries)
    .where(sql`${webhookDeliveries.receivedAt} < now() - make_interval(days => ${retentionDays})`)
    .returning({ id: webhookDeliveries.id });
  return deleted.length;
}

/**
 * The sending address as the last hop saw it. Next.js fills X-Forwarded-For with the socket's address only
 * when the request has none, so a client talking to Next directly can set it: the per-source limit is then a
 * courtesy, and the per-integration bound above is what protects the database.
 */
/** The sender's address as the sign-in limits see it: the TCP peer, or a forwarded hop only via TRUSTED_PROXIES. */
export function sourceAddress(headers: Headers): string {
  return clientIpFromHeaders(headers) ?? "unknown";
}
