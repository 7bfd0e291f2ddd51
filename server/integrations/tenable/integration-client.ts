// Builds a Tenable.io client from a stored connector row: decrypts the key pair and applies the base URL. The keys
// never leave this module except inside the client (which never logs them or puts them in an error).
import type { integrations } from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/server/security/secrets";
import { createTenableClient, type TenableClient, type TenableClientOptions } from "./client";
import { TENABLE_DEFAULT_BASE_URL } from "./conventions";

type IntegrationRow = typeof integrations.$inferSelect;

export class TenableConnectorNotConfiguredError extends Error {
  readonly code = "not_configured";
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "TenableConnectorNotConfiguredError";
  }
}

export type TenableKeys = { accessKey: string; secretKey: string };

/** What `credentialsEncrypted` holds for a Tenable.io connector. */
export function encryptTenableKeys(keys: TenableKeys): string {
  return encryptSecret(JSON.stringify({ accessKey: keys.accessKey, secretKey: keys.secretKey }));
}

export function readTenableKeys(row: Pick<IntegrationRow, "credentialsEncrypted">): TenableKeys {
  if (!row.credentialsEncrypted) throw new TenableConnectorNotConfiguredError("The Tenable.io API keys have not been entered.");
  const parsed = JSON.parse(decryptSecret(row.credentialsEncrypted)) as Partial<Record<keyof TenableKeys, unknown>>;
  if (typeof parsed.accessKey !== "string" || typeof parsed.secretKey !== "string" || !parsed.accessKey || !parsed.secretKey) {
    throw new TenableConnectorNotConfiguredError("The stored Tenable.io keys are incomplete; enter both keys again.");
  }
  return { accessKey: parsed.accessKey, secretKey: parsed.secretKey };
}

export function tenableClientForConnector(
  row: Pick<IntegrationRow, "kind" | "baseUrl" | "credentialsEncrypted">,
  overrides: Partial<Omit<TenableClientOptions, "accessKey" | "secretKey" | "baseUrl">> = {},
): TenableClient {
  if (row.kind !== "tenable_io") throw new Error(`not a Tenable.io connector: ${row.kind}`);
  return createTenableClient({ baseUrl: row.baseUrl ?? TENABLE_DEFAULT_BASE_URL, ...readTenableKeys(row), ...overrides });
}
