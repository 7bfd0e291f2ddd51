// Integration rows, always scoped to a company. Credentials and token ciphertexts never leave this layer
// except through the functions that say so.
import { and, eq, ne } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { type IntegrationKind, integrations } from "@/db/schema";

/** The columns a browser may see. No ciphertext, no hash. */
export const publicIntegrationColumns = {
  id: integrations.id,
  kind: integrations.kind,
  state: integrations.state,
  wizardStep: integrations.wizardStep,
  region: integrations.region,
  canWriteBack: integrations.canWriteBack,
  settings: integrations.settings,
  lastCheckedAt: integrations.lastCheckedAt,
  lastCheckError: integrations.lastCheckError,
  webhookWarning: integrations.webhookWarning,
  createdAt: integrations.createdAt,
  updatedAt: integrations.updatedAt,
  removedAt: integrations.removedAt,
};

export async function getIntegrationById(db: Queryable, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.companyId, companyId), eq(integrations.id, id)));
  return row ?? null;
}

export async function getLiveIntegration(db: Queryable, { companyId, kind }: { companyId: string; kind: IntegrationKind }) {
  const [row] = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.companyId, companyId), eq(integrations.kind, kind), ne(integrations.state, "removed")));
  return row ?? null;
}
