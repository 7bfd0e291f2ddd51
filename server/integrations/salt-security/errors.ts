// Salt failures classified for the user: each code carries a message the setup wizard shows as is.
import { IntegrationError, sharedMessages } from "../http/errors";
import { SALT_REGION_LABELS, type SaltRegion } from "./regions";
import type { SaltScope } from "./conventions";

export const SALT_ERROR_CODES = [
  "invalid_key",
  "expired_key",
  "wrong_region",
  "missing_scope",
  "not_found",
  "rate_limited",
  "salt_unavailable",
  "network_unreachable",
  "unexpected_response",
  "timeout",
] as const;
export type SaltErrorCode = (typeof SALT_ERROR_CODES)[number];

const RETRYABLE: Record<SaltErrorCode, boolean> = {
  invalid_key: false,
  expired_key: false,
  wrong_region: false,
  missing_scope: false,
  not_found: false,
  rate_limited: true,
  salt_unavailable: true,
  network_unreachable: true,
  unexpected_response: false,
  timeout: true,
};

export interface SaltErrorDetails {
  /** HTTP status when Salt answered. */
  status?: number;
  /** missing_scope: the scope the key lacks. */
  scope?: SaltScope;
  /** wrong_region: the region the key belongs to. */
  keyRegion?: SaltRegion;
  /** rate_limited / salt_unavailable: what Salt's Retry-After asked for, in ms. */
  retryAfterMs?: number;
  /** unexpected_response: the field that did not match. */
  field?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
}

/** Never carries the API key: messages are built from our own text, and server text is not copied in. */
export class SaltError extends IntegrationError<SaltErrorCode, SaltErrorDetails> {
  constructor(code: SaltErrorCode, message: string, details: SaltErrorDetails = {}, options?: { cause?: unknown }) {
    super(code, message, RETRYABLE[code], details, options);
    this.name = "SaltError";
  }
}

export function isSaltError(error: unknown): error is SaltError {
  return error instanceof SaltError;
}

const KEY_PLACE = "Dashboard → Settings → Access → API Keys";

export const saltErrors = {
  invalidKey: (status: number) =>
    new SaltError(
      "invalid_key",
      `Salt refused this API key. Check that you copied the whole key (in Salt: ${KEY_PLACE}) and that it has not been revoked.`,
      { status },
    ),
  expiredKey: (status: number) =>
    new SaltError(
      "expired_key",
      `This Salt API key has expired. Create a new key in Salt (${KEY_PLACE}) and paste it here.`,
      { status },
    ),
  wrongRegion: (keyRegion: SaltRegion) =>
    new SaltError(
      "wrong_region",
      `Your key belongs to the ${SALT_REGION_LABELS[keyRegion]} region — choose ${SALT_REGION_LABELS[keyRegion]} and try again`,
      { status: 401, keyRegion },
    ),
  missingScope: (scope: SaltScope, status: number) =>
    new SaltError(
      "missing_scope",
      scope === "perm-viewer"
        ? `This key lacks the perm-viewer scope, which Postura needs to read hosts, endpoints and posture gaps. Create a key with perm-viewer in Salt (${KEY_PLACE}).`
        : `This key lacks the perm-executor scope, which Postura needs to write statuses back to Salt. Create a key with perm-executor in Salt (${KEY_PLACE}), or turn off write-back.`,
      { status, scope },
    ),
  notFound: (what: string) =>
    new SaltError("not_found", `Salt has no ${what}. It may have been deleted in Salt; run a sync to refresh.`, {
      status: 404,
    }),
  rateLimited: (attempts: number, retryAfterMs?: number) =>
    new SaltError(
      "rate_limited",
      sharedMessages.rateLimited("Salt", retryAfterMs),
      { status: 429, attempts, retryAfterMs },
    ),
  unavailable: (status: number, attempts: number) =>
    new SaltError(
      "salt_unavailable",
      sharedMessages.unavailable("Salt", status, attempts),
      { status, attempts },
    ),
  networkUnreachable: (baseUrl: string, attempts: number, cause?: unknown) =>
    new SaltError(
      "network_unreachable",
      `Postura could not reach Salt at ${new URL(baseUrl).host}. Check the region you chose and that this server can reach it (DNS, proxy, firewall).`,
      { attempts },
      { cause },
    ),
  timeout: (timeoutMs: number, attempts: number) =>
    new SaltError(
      "timeout",
      sharedMessages.timeout("Salt", timeoutMs, attempts),
      { attempts },
    ),
  unexpectedResponse: (detail: string, extra: SaltErrorDetails = {}) =>
    new SaltError(
      "unexpected_response",
      sharedMessages.unexpectedResponse("Salt", detail),
      extra,
    ),
};
