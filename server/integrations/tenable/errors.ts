// Tenable.io failures classified for the user: each code carries a message the connector form and the import
// history show as is. Never carries the keys.
import { IntegrationError, seconds, sharedMessages } from "../http/errors";

export const TENABLE_ERROR_CODES = [
  "invalid_keys",
  "missing_permission",
  "network_unreachable",
  "wrong_base_url",
  "rate_limited",
  "tenable_unavailable",
  "timeout",
  "unexpected_response",
  "not_found",
  "export_failed",
  "export_cancelled",
  "export_incomplete",
  "export_timeout",
  "asset_too_large",
] as const;
export type TenableErrorCode = (typeof TENABLE_ERROR_CODES)[number];

const RETRYABLE: Record<TenableErrorCode, boolean> = {
  invalid_keys: false,
  missing_permission: false,
  network_unreachable: true,
  wrong_base_url: false,
  rate_limited: true,
  tenable_unavailable: true,
  timeout: true,
  unexpected_response: false,
  not_found: false,
  export_failed: true,
  export_cancelled: true,
  export_incomplete: true,
  export_timeout: true,
  asset_too_large: false,
};

/** A chunk the export listed but Postura could not read: it is reported, never dropped in silence. */
export interface MissingChunk {
  chunkId: number;
  reason: "expired" | "failed" | "cancelled";
}

export interface TenableErrorDetails {
  status?: number;
  attempts?: number;
  retryAfterMs?: number;
  field?: string;
  /** missing_permission: what the keys may not do. */
  permission?: "export" | "asset_import";
  exportUuid?: string;
  /** export_*: the chunks read and the chunks missing when the export stopped. */
  chunksDone?: number;
  chunksMissing?: MissingChunk[];
  reason?: string;
}

export class TenableError extends IntegrationError<TenableErrorCode, TenableErrorDetails> {
  constructor(code: TenableErrorCode, message: string, details: TenableErrorDetails = {}, options?: { cause?: unknown }) {
    super(code, message, RETRYABLE[code], details, options);
    this.name = "TenableError";
  }
}

export function isTenableError(error: unknown): error is TenableError {
  return error instanceof TenableError;
}

const KEYS_PLACE = "Tenable Vulnerability Management → Settings → My Account → API Keys";

function chunkList(missing: MissingChunk[]): string {
  return missing.map((m) => `${m.chunkId} (${m.reason})`).join(", ");
}

export const tenableErrors = {
  invalidKeys: (status?: number) =>
    new TenableError(
      "invalid_keys",
      `Tenable refused these API keys. Copy both the access key and the secret key again (${KEYS_PLACE}); generating new keys revokes the old pair.`,
      status === undefined ? {} : { status },
    ),
  missingPermission: (permission: "export" | "asset_import") =>
    new TenableError(
      "missing_permission",
      permission === "export"
        ? "These keys belong to a Tenable user who may not export vulnerabilities. Use keys of a user with at least the Standard role (Administrator works too)."
        : "These keys belong to a Tenable user who may not import assets. Use keys of a user with the Scan Manager or Administrator role.",
      { status: 403, permission },
    ),
  networkUnreachable: (baseUrl: string, attempts: number, cause?: unknown) =>
    new TenableError(
      "network_unreachable",
      `Postura could not reach ${new URL(baseUrl).host}. Check the base URL and that this server can reach it (DNS, proxy, firewall).`,
      { attempts },
      { cause },
    ),
  wrongBaseUrl: (baseUrl: string, detail: string) =>
    new TenableError(
      "wrong_base_url",
      `${new URL(baseUrl).host} answered, but not like Tenable.io's API (${detail}). Check the base URL; for Tenable's cloud it is https://cloud.tenable.com.`,
    ),
  rateLimited: (attempts: number, retryAfterMs?: number) =>
    new TenableError(
      "rate_limited",
      sharedMessages.rateLimited("Tenable", retryAfterMs),
      { status: 429, attempts, retryAfterMs },
    ),
  unavailable: (status: number, attempts: number) =>
    new TenableError(
      "tenable_unavailable",
      sharedMessages.unavailable("Tenable", status, attempts),
      { status, attempts },
    ),
  timeout: (timeoutMs: number, attempts: number) =>
    new TenableError(
      "timeout",
      sharedMessages.timeout("Tenable", timeoutMs, attempts),
      { attempts },
    ),
  unexpectedResponse: (detail: string, extra: TenableErrorDetails = {}) =>
    new TenableError(
      "unexpected_response",
      sharedMessages.unexpectedResponse("Tenable", detail),
      extra,
    ),
  notFound: (what: string) => new TenableError("not_found", `Tenable has no ${what}.`, { status: 404 }),
  exportFailed: (exportUuid: string, reason: string | undefined, chunksDone: number, chunksMissing: MissingChunk[]) =>
    new TenableError(
      "export_failed",
      `Tenable stopped the export with an error${reason ? ` ("${reason.slice(0, 200)}")` : ""} after ${chunksDone} chunks were read. Run the import again.`,
      { exportUuid, reason, chunksDone, chunksMissing },
    ),
  exportCancelled: (exportUuid: string, chunksDone: number, chunksMissing: MissingChunk[]) =>
    new TenableError(
      "export_cancelled",
      `The export was cancelled in Tenable after ${chunksDone} chunks were read. Run the import again.`,
      { exportUuid, chunksDone, chunksMissing },
    ),
  exportIncomplete: (exportUuid: string, chunksDone: number, chunksMissing: MissingChunk[]) =>
    new TenableError(
      "export_incomplete",
      `The export finished, but ${chunksMissing.length} of its chunks could not be read: ${chunkList(chunksMissing)}. Findings in them were not imported; run the import again.`,
      { exportUuid, chunksDone, chunksMissing },
    ),
  exportTimeout: (exportUuid: string, waitedMs: number, chunksDone: number) =>
    new TenableError(
      "export_timeout",
      `Tenable's export did not finish within ${seconds(waitedMs)} (${chunksDone} chunks read). Postura cancelled it; run the import again later.`,
      { exportUuid, chunksDone },
    ),
  assetTooLarge: (bytes: number) =>
    new TenableError(
      "asset_too_large",
      `One asset is ${bytes} bytes of JSON, more than Tenable accepts in one request.`,
    ),
};
