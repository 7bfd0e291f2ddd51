// The shape of an integration that may leave the server: no ciphertext, no token hash, only whether
// a secret is configured.
import type { integrations } from "@/db/schema";
import { readVmCustomHeaders } from "./snapsec-vm/integration-client";

type IntegrationRow = typeof integrations.$inferSelect;

export function toPublicIntegration(row: IntegrationRow) {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    wizardStep: row.wizardStep,
    region: row.region,
    canWriteBack: row.canWriteBack,
    settings: row.settings,
    baseUrl: row.baseUrl,
    forwarding: row.forwarding,
    /** Custom header names only; values are secrets and never leave the server. */
    customHeaderNames: row.customHeadersEncrypted ? Object.keys(readVmCustomHeaders(row)) : [],
    credentialsConfigured: row.credentialsEncrypted !== null,
    webhookTokenConfigured: row.webhookTokenHash !== null,
    lastCheckedAt: row.lastCheckedAt,
    lastCheckError: row.lastCheckError,
    webhookWarning: row.webhookWarning,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    removedAt: row.removedAt,
  };
}
export type PublicIntegration = ReturnType<typeof toPublicIntegration>;
