// Setting up and managing a Salt Security integration: key validation with classified answers, the picker's
// host list, and removal. The router calls these; Salt's own words stay in server/integrations/salt-security/.
import { createHash } from "node:crypto";
import type { Queryable } from "@/db/client";
import { detachAllDomains, listDomainsOfRemovedIntegrations, updateLiveIntegration } from "@/db/queries/integrations";
import type { integrations } from "@/db/schema";
import { createSaltClient, isSaltError, type SaltErrorCode, type SaltRegion } from "@/server/integrations/salt-security";
import { browseSaltHosts, allSaltHosts } from "@/server/integrations/salt-security/host-directory";
import { saltClientForIntegration } from "@/server/integrations/salt-security/integration-client";
import { parseCustomHeaders } from "@/server/integrations/http/headers";

type IntegrationRow = typeof integrations.$inferSelect;

/** Interactive calls get a short retry budget: a person is waiting for the answer. */
const INTERACTIVE = { timeoutMs: 10_000, retry: { maxAttempts: 2, maxTotalWaitMs: 2_000 } } as const;

export const WRITE_BACK_OFF_WARNING =
  "This key lacks the perm-executor scope, so status write-back to Salt will be off: status changes made in Postura stay in Postura. You can continue, or use a key with perm-executor to turn write-back on.";

export type KeyCheck =
  | { ok: true; canWriteBack: boolean; warning: string | null }
  | { ok: false; code: SaltErrorCode | "not_configured"; message: string };

async function checkWith(run: () => Promise<{ canWriteBack: boolean }>): Promise<KeyCheck> {
  try {
    const { canWriteBack } = await run();
    return { ok: true, canWriteBack, warning: canWriteBack ? null : WRITE_BACK_OFF_WARNING };
  } catch (error) {
    if (isSaltError(error)) return { ok: false, code: error.code, message: error.message };
    if (error instanceof Error && "code" in error && error.code === "not_configured") {
      return { ok: false, code: "not_configured", message: error.message };
    }
    throw error;
  }
}

/** Validates a key the person just typed (trimmed by the client) against the chosen region. */
export function checkNewSaltKey({ region, apiKey, customHeaders }: { region: SaltRegion; apiKey: string; customHeaders: string }) {
  return checkWith(() =>
    createSaltClient({ region, apiKey, customHeaders: parseCustomHeaders(customHeaders), ...INTERACTIVE }).validateKey(),
  );
}

/** Validates the stored key, optionally against another region (the person changed only the region). */
export function checkStoredSaltKey(row: IntegrationRow, region: SaltRegion | null = null) {
  return checkWith(() => saltClientForIntegration({ ...row, region: region ?? row.region }, INTERACTIVE).validateKey());
}

/** The cache key changes whenever the stored key, region or headers change (the envelope has a fresh IV each time). */
function hostCacheKey(row: IntegrationRow): string {
  const fingerprint = createHash("sha256")
    .update(`${row.region}\u0000${row.credentialsEncrypted ?? ""}\u0000${row.settings.customHeaders}`)
    .digest("hex")
    .slice(0, 16);
  return `${row.id}:${fingerprint}`;
}

export function browseHostsForIntegration(row: IntegrationRow, query: { q: string; page: number; pageSize: number }) {
  return browseSaltHosts(saltClientForIntegration(row, INTERACTIVE), { cacheKey: hostCacheKey(row), ...query });
}

/** The subset of `hosts` that Salt has discovered (the picker can only add those). */
export async function knownSaltHosts(row: IntegrationRow, hosts: string[]): Promise<Set<string>> {
  const all = await allSaltHosts(saltClientForIntegration(row, INTERACTIVE), hostCacheKey(row));
  const wanted = new Set(hosts);
  return new Set(all.filter((h) => wanted.has(h.host)).map((h) => h.host));
}

/**
 * The domains an earlier, removed Salt integration of the company synced, each marked `found` when this integration's
 * Salt account still knows the host (only those can be re-attached; the others are "not found in this Salt account").
 */
export async function previousSaltDomains(db: Queryable, row: IntegrationRow) {
  const domains = await listDomainsOfRemovedIntegrations(db, { companyId: row.companyId, kind: "salt_security" });
  if (domains.length === 0) return [];
  const known = await knownSaltHosts(row, domains.map((d) => d.host));
  return domains.map((d) => ({ id: d.id, host: d.host, lastSyncedAt: d.lastSyncedAt, openIssueCount: d.openIssueCount, found: known.has(d.host) }));
}

/**
 * Removes an integration: no more syncs (its domains are detached), no write-back (the engines only act for
 * connected integrations), and the key and webhook token are erased. Assets and issues stay.
 */
export async function removeIntegration(db: Queryable, { companyId, id }: { companyId: string; id: string }) {
  const row = await updateLiveIntegration(
    db,
    { companyId, id },
    {
      state: "removed",
      removedAt: new Date(),
      credentialsEncrypted: null,
      customHeadersEncrypted: null,
      webhookTokenHash: null,
      webhookTokenEncrypted: null,
      previousWebhookTokenHash: null,
      previousWebhookTokenExpiresAt: null,
    },
  );
  if (!row) return null;
  const detachedDomains = await detachAllDomains(db, { companyId, integrationId: id });
  return { removedAt: row.removedAt, detachedDomains };
}
