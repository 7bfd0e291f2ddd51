// Builds a Salt client from a stored integration row: decrypts the API key and applies the region and the
// integration's custom headers. The key never leaves this function except inside the client.
import type { integrations } from "@/db/schema";
import { decryptSecret } from "@/server/security/secrets";
import { createSaltClient, type SaltClient, type SaltClientOptions } from "./client";
import { parseCustomHeaders } from "@/server/integrations/http/headers";
import { isSaltRegion } from "./regions";

type IntegrationRow = typeof integrations.$inferSelect;

export class SaltIntegrationNotConfiguredError extends Error {
  readonly code = "not_configured";
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "SaltIntegrationNotConfiguredError";
  }
}

/** `credentialsEncrypted` holds encryptSecret(JSON.stringify({ apiKey })). */
export function readSaltApiKey(row: Pick<IntegrationRow, "credentialsEncrypted">): string {
  if (!row.credentialsEncrypted) throw new SaltIntegrationNotConfiguredError("The Salt Security API key has not been entered.");
  const parsed = JSON.parse(decryptSecret(row.credentialsEncrypted)) as { apiKey?: unknown };
  if (typeof parsed.apiKey !== "string" || parsed.apiKey === "") {
    throw new SaltIntegrationNotConfiguredError("The stored Salt Security credentials hold no API key; enter the key again.");
  }
  return parsed.apiKey;
}

export function saltClientForIntegration(
  row: Pick<IntegrationRow, "kind" | "region" | "credentialsEncrypted" | "settings">,
  overrides: Partial<Omit<SaltClientOptions, "apiKey" | "region">> = {},
): SaltClient {
  if (row.kind !== "salt_security") throw new Error(`not a Salt Security integration: ${row.kind}`);
  if (!isSaltRegion(row.region)) throw new SaltIntegrationNotConfiguredError("The Salt Security region has not been chosen.");
  return createSaltClient({
    region: row.region,
    apiKey: readSaltApiKey(row),
    customHeaders: parseCustomHeaders(row.settings.customHeaders ?? ""),
    ...overrides,
  });
}
