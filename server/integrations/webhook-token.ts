// Webhook tokens: stored as a hash (for constant-time lookup) and as ciphertext (so an admin can reveal it).
// After a rotation the previous token keeps working for 24 hours, so Salt's template can be updated calmly.
import { and, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { integrations } from "@/db/schema";
import { encryptSecret, hashToken, newToken } from "@/server/security/secrets";

export const PREVIOUS_TOKEN_GRACE_MS = 24 * 60 * 60 * 1000;

export async function rotateWebhookToken(db: Queryable, { companyId, integrationId }: { companyId: string; integrationId: string }) {
  const [current] = await db
    .select({ hash: integrations.webhookTokenHash })
    .from(integrations)
    .where(and(eq(integrations.companyId, companyId), eq(integrations.id, integrationId)));
  if (!current) return null;
  const token = newToken("whk");
  const now = new Date();
  await db
    .update(integrations)
    .set({
      webhookTokenHash: hashToken(token),
      webhookTokenEncrypted: encryptSecret(token),
      previousWebhookTokenHash: current.hash,
      previousWebhookTokenExpiresAt: current.hash ? new Date(now.getTime() + PREVIOUS_TOKEN_GRACE_MS) : null,
      updatedAt: now,
    })
    .where(and(eq(integrations.companyId, companyId), eq(integrations.id, integrationId)));
  return { rotatedAt: now };
}
