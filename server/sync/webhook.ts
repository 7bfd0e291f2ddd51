/**
 * Salt Security's Custom Webhook receiver: body as configured in Salt,
 * `{"company_id": "...", "webhook_token": "...", "reference": "{{host}}", "event": "{{eventType}}"}`.
 * The token may instead come in the `x-postura-webhook-token` header (a Salt custom header), so it need not sit
 * in the body. Order: size cap on the raw bytes, JSON, shape (zod), authentication, domain, enqueue. Accepted
 * deliveries are recorded in webhook_deliveries (never the token); refused ones within the bounds of
 * server/webhooks/rejections.ts.
 *
 * What each answer tells the sender:
 * - 202 `{ received, domain, sync }`: accepted; that domain's re-sync is queued (or one already waiting covers
 *   it). Nothing more to do.
 * - 202 `{ received, test: true }`: an authenticated test event ("Send test event" on the settings page): recorded,
 *   nothing synced.
 * - 202 `{ ignored: "domain not associated" }`: authenticated, but the reference is not a domain associated with
 *   the integration. Retrying cannot help, so it is not an error for Salt; the settings page shows it.
 * - 400: the body is not JSON. The webhook template is broken; a retry sends the same bytes and fails again.
 * - 401: unknown company or wrong token (one answer for both, so it reveals neither). Fix the template's
 *   company_id / webhook_token (or the header); retrying unchanged fails again.
 * - 413: the body is over 64 KiB. A template problem; retrying fails again.
 * - 422 `{ error, field }`: JSON of the wrong shape (or a control character in a field); `field` names the first
 *   bad field. Fix the template.
 * - 503: Postura could not queue the sync (its database is unavailable). Temporary: a retry may succeed.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import { getLiveIntegration } from "@/db/queries/integrations";
import { assets, companies, webhookDeliveries } from "@/db/schema";
import { logger } from "@/server/logger";
import { hashToken, tokenMatchesHash } from "@/server/security/secrets";
import { recordRejectedDelivery } from "@/server/webhooks/rejections";
import { WEBHOOK_TEST_EVENT } from "@/lib/integration-wizard";
import { CONTROL_CHARACTERS_MESSAGE, isPlainText, userText } from "@/lib/validation/text";
import { enqueueDomainSync, type EnqueueOptions } from "./enqueue";

export const WEBHOOK_MAX_BYTES = 64 * 1024;
export const WEBHOOK_TOKEN_HEADER = "x-postura-webhook-token";

export type WebhookAnswer = { status: 202 | 400 | 401 | 413 | 422 | 503; body: Record<string, unknown> };

// Control characters in any field are refused (422) before anything reaches the database or the log.
export const saltWebhookPayloadSchema = z.object({
  company_id: userText({ max: 200 }).min(1),
  webhook_token: z.string().min(1).max(500).refine(isPlainText, CONTROL_CHARACTERS_MESSAGE).optional(),
  reference: userText({ max: 253 }).min(1),
  event: userText({ max: 200 }).optional(),
});

/** Compared when there is no integration, so an unknown company costs the same time as a wrong token. */
const UNUSED_TOKEN_HASH = hashToken("postura-unused-webhook-token");

/**
 * Reads the body, stopping as soon as it passes `maxBytes` (Content-Length is checked first but not trusted:
 * a chunked body has none, and a sender may lie). Null when the body is too large.
 */
export async function readBodyWithLimit(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

type Delivery = {
  companyId?: string | null;
  integrationId?: string | null;
  domain?: string | null;
  event?: string | null;
  outcome: "accepted" | "ignored" | "rejected";
  httpStatus: number;
  reason: string;
};

async function record(db: Queryable, delivery: Delivery): Promise<string | null> {
  try {
    const [row] = await db
      .insert(webhookDeliveries)
      .values({
        companyId: delivery.companyId ?? null,
        integrationId: delivery.integrationId ?? null,
        domain: delivery.domain?.slice(0, 253) ?? null,
        event: delivery.event?.slice(0, 200) ?? null,
        outcome: delivery.outcome,
        httpStatus: delivery.httpStatus,
        reason: delivery.reason,
      })
      .returning({ id: webhookDeliveries.id });
    return row?.id ?? null;
  } catch (error) {
    // The answer matters more to the sender than our record of it.
    logger.error("webhook delivery not recorded", { error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

// Refusals are bounded per source and per integration (server/webhooks/rejections.ts).
async function reject(db: Queryable, status: WebhookAnswer["status"], error: string, delivery: Partial<Delivery> = {}, extra = {}) {
  await recordRejectedDelivery(db, { ...delivery, httpStatus: status, reason: error });
  return { status, body: { error, ...extra } } satisfies WebhookAnswer;
}

/**
 * Who a malformed delivery was meant for, when its company_id (a public id) names a company: a broken template
 * then shows up as that integration's "last rejected" webhook instead of failing silently.
 */
async function intendedRecipient(db: Queryable, json: unknown): Promise<Partial<Delivery>> {
  const body = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
  if (typeof body.company_id !== "string" || body.company_id.length > 200 || !isPlainText(body.company_id)) return {};
  const [company] = await db.select({ id: companies.id }).from(companies).where(eq(companies.publicId, body.company_id.trim()));
  const integration = company ? await getLiveIntegration(db, { companyId: company.id, kind: "salt_security" }) : null;
  if (!integration) return {};
  return {
    companyId: integration.companyId,
    integrationId: integration.id,
    domain: typeof body.reference === "string" ? body.reference : null,
    event: typeof body.event === "string" ? body.event : null,
  };
}

function normaliseHost(reference: string): string {
  return reference.trim().replace(/\.$/, "").toLowerCase();
}

export async function receiveSaltWebhook(db: Queryable, request: Request, options: EnqueueOptions = {}): Promise<WebhookAnswer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const raw = declared > WEBHOOK_MAX_BYTES ? null : await readBodyWithLimit(request.body, WEBHOOK_MAX_BYTES);
  if (raw === null) return reject(db, 413, "body larger than 64 KiB");

  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return reject(db, 400, "body is not valid JSON");
  }

  const parsed = saltWebhookPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join(".") : "(body)";
    return reject(db, 422, `${field}: ${issue?.message ?? "invalid"}`, await intendedRecipient(db, json), { field });
  }
  const payload = parsed.data;
  const token = request.headers.get(WEBHOOK_TOKEN_HEADER) ?? payload.webhook_token;
  if (!token) {
    return reject(
      db,
      422,
      `webhook_token: required (in the body or the ${WEBHOOK_TOKEN_HEADER} header)`,
      await intendedRecipient(db, json),
      { field: "webhook_token" },
    );
  }

  const [company] = await db.select({ id: companies.id }).from(companies).where(eq(companies.publicId, payload.company_id));
  const integration = company ? await getLiveIntegration(db, { companyId: company.id, kind: "salt_security" }) : null;
  // Both comparisons always run, so timing does not tell which part was wrong.
  const matchesCurrent = tokenMatchesHash(token, integration?.webhookTokenHash ?? UNUSED_TOKEN_HASH);
  const previousValid =
    integration?.previousWebhookTokenHash != null &&
    integration.previousWebhookTokenExpiresAt != null &&
    integration.previousWebhookTokenExpiresAt.getTime() > Date.now();
  const matchesPrevious = tokenMatchesHash(token, integration?.previousWebhookTokenHash ?? UNUSED_TOKEN_HASH);
  if (!integration || !integration.webhookTokenHash || !(matchesCurrent || (previousValid && matchesPrevious))) {
    return reject(db, 401, "unknown company or wrong token", {
      companyId: integration ? integration.companyId : null,
      integrationId: integration?.id ?? null,
      domain: payload.reference,
      event: payload.event,
    });
  }

  const scope = { companyId: integration.companyId, integrationId: integration.id, event: payload.event ?? null };
  if (payload.event === WEBHOOK_TEST_EVENT) {
    const deliveryId = await record(db, { ...scope, domain: null, outcome: "accepted", httpStatus: 202, reason: "test event" });
    return { status: 202, body: { received: true, deliveryId, test: true } };
  }
  const [domain] = await db
    .select({ host: assets.externalRef })
    .from(assets)
    .where(
      and(
        eq(assets.companyId, integration.companyId),
        eq(assets.integrationId, integration.id),
        eq(assets.assetType, "domain"),
        eq(assets.syncEnabled, true),
        sql`lower(${assets.externalRef}) = ${normaliseHost(payload.reference)}`,
      ),
    )
    .limit(1);
  if (!domain) {
    await record(db, { ...scope, domain: payload.reference, outcome: "ignored", httpStatus: 202, reason: "domain not associated" });
    return { status: 202, body: { ignored: "domain not associated" } };
  }

  let queued: boolean;
  try {
    ({ queued } = await enqueueDomainSync(
      { companyId: integration.companyId, integrationId: integration.id, domain: domain.host, trigger: "webhook" },
      { boss: options.boss },
    ));
  } catch (error) {
    logger.error("webhook sync not queued", { error: error instanceof Error ? error.message : String(error) });
    return reject(db, 503, "could not queue the sync; retry later", { ...scope, domain: domain.host });
  }
  const sync = queued ? "queued" : "already queued";
  const deliveryId = await record(db, { ...scope, domain: domain.host, outcome: "accepted", httpStatus: 202, reason: `sync ${sync}` });
  return { status: 202, body: { received: true, deliveryId, domain: domain.host, event: payload.event ?? null, sync } };
}
