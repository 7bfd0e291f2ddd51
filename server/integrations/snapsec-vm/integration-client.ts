// Builds a Snapsec VM client from a stored integration row: decrypts the key and the custom headers. Neither leaves
// this function except inside the client.
import type { integrations } from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/server/security/secrets";
import { createSnapsecVmClient, type SnapsecVmClient, type SnapsecVmClientOptions } from "./client";
import { SnapsecVmError } from "./errors";

type IntegrationRow = typeof integrations.$inferSelect;

/** `credentialsEncrypted` holds encryptSecret(JSON.stringify({ apiKey })); custom headers a JSON object of name → value. */
export function sealVmCredentials(apiKey: string): string {
  return encryptSecret(JSON.stringify({ apiKey }));
}
export function sealVmCustomHeaders(headers: Record<string, string>): string | null {
  return Object.keys(headers).length === 0 ? null : encryptSecret(JSON.stringify(headers));
}

export function readVmCustomHeaders(row: Pick<IntegrationRow, "customHeadersEncrypted">): Record<string, string> {
  if (!row.customHeadersEncrypted) return {};
  return JSON.parse(decryptSecret(row.customHeadersEncrypted)) as Record<string, string>;
}

function readVmApiKey(row: Pick<IntegrationRow, "credentialsEncrypted">): string {
  const parsed = row.credentialsEncrypted ? (JSON.parse(decryptSecret(row.credentialsEncrypted)) as { apiKey?: unknown }) : {};
  if (typeof parsed.apiKey !== "string" || parsed.apiKey === "") {
    throw new SnapsecVmError("invalid_key", "The Snapsec VM API key has not been entered. Open the Snapsec VM settings and enter it.");
  }
  return parsed.apiKey;
}

export function vmClientForIntegration(
  row: Pick<IntegrationRow, "kind" | "baseUrl" | "credentialsEncrypted" | "customHeadersEncrypted">,
  overrides: Partial<Omit<SnapsecVmClientOptions, "apiKey" | "baseUrl">> = {},
): SnapsecVmClient {
  if (row.kind !== "snapsec_vm") throw new Error(`not a Snapsec VM integration: ${row.kind}`);
  if (!row.baseUrl) throw new SnapsecVmError("invalid_base_url", "The VM base URL has not been entered. Open the Snapsec VM settings and enter it.");
  return createSnapsecVmClient({
    baseUrl: row.baseUrl,
    apiKey: readVmApiKey(row),
    customHeaders: readVmCustomHeaders(row),
    ...overrides,
  });
}
