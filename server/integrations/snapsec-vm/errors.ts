// Snapsec VM failures classified for the user: each code carries a message the wizard and the issue page show as is,
// with the remedy from Snapsec's troubleshooting guide. Messages are our own text: never the key, never a header value.
import { attemptsText as tries, IntegrationError, seconds } from "@/server/integrations/http/errors";

export const VM_CLIENT_ERROR_CODES = [
  "invalid_base_url",
  "key_has_spaces",
  "malformed_key",
  "invalid_key",
  "revoked_key",
  "invalid_custom_headers",
  "gateway_refused",
  "missing_custom_header",
  "forbidden",
  "assessment_not_found",
  "not_found",
  "rejected",
  "rate_limited",
  "vm_unavailable",
  "network_unreachable",
  "timeout",
  "unexpected_response",
] as const;
export type SnapsecVmErrorCode = (typeof VM_CLIENT_ERROR_CODES)[number];

/** Worth trying again later without changing anything: the forwarding engine retries these, and only these. */
const RETRYABLE = new Set<SnapsecVmErrorCode>(["rate_limited", "vm_unavailable", "network_unreachable", "timeout"]);

export interface SnapsecVmErrorDetails {
  /** HTTP status when VM (or a gateway) answered. */
  status?: number;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** rate_limited / vm_unavailable: what Retry-After asked for, in ms. */
  retryAfterMs?: number;
  /** missing_custom_header: the header's name; invalid_custom_headers: the header or line at fault. */
  header?: string;
  /** rejected / unexpected_response: the field VM named, or the one that did not match the contract. */
  field?: string;
}

export class SnapsecVmError extends IntegrationError<SnapsecVmErrorCode, SnapsecVmErrorDetails> {
  constructor(code: SnapsecVmErrorCode, message: string, details: SnapsecVmErrorDetails = {}, options?: { cause?: unknown }) {
    super(code, message, RETRYABLE.has(code), details, options);
    this.name = "SnapsecVmError";
  }
}

export function isSnapsecVmError(error: unknown): error is SnapsecVmError {
  return error instanceof SnapsecVmError;
}

const KEY_PLACE = "VM → Settings → API Keys";

export const vmErrors = {
  invalidBaseUrl: () =>
    new SnapsecVmError(
      "invalid_base_url",
      "The VM base URL must be a web address starting with https:// (or http:// for a local VM), e.g. https://acme.vm.snapsec.example.",
    ),
  keyHasSpaces: () =>
    new SnapsecVmError(
      "key_has_spaces",
      `The key has extra spaces — copy it again from ${KEY_PLACE}. Postura does not trim keys, so what you paste is what VM receives.`,
    ),
  malformedKey: () =>
    new SnapsecVmError(
      "malformed_key",
      `This is not a VM API key: it contains characters a key never has. Copy it again from ${KEY_PLACE}.`,
    ),
  invalidKey: (status: number) =>
    new SnapsecVmError(
      "invalid_key",
      `Snapsec VM refused this API key. Regenerate the key in VM (${KEY_PLACE}), paste it here, and make sure no extra spaces are copied.`,
      { status },
    ),
  revokedKey: (status: number) =>
    new SnapsecVmError(
      "revoked_key",
      `This API key was revoked in Snapsec VM (it may have been regenerated). Regenerate the key in VM (${KEY_PLACE}) and paste the new one here.`,
      { status },
    ),
  invalidCustomHeaders: (problem: string) =>
    new SnapsecVmError("invalid_custom_headers", `${problem} Write one header per line as key: value.`),
  gatewayRefused: (status: number) =>
    new SnapsecVmError(
      "gateway_refused",
      `A gateway in front of Snapsec VM refused the request: it answered with a web page (HTTP ${status}) instead of the API. Remove the headers and test again, and check the key: value format of each custom header; a gateway such as Cloudflare Access needs its own headers.`,
      { status },
    ),
  missingCustomHeader: (header: string | undefined, status: number) =>
    new SnapsecVmError(
      "missing_custom_header",
      header === undefined
        ? "Snapsec VM accepts this key only with a custom header it did not get. Ask your VM administrator which header, add it under Custom headers as key: value, and test again."
        : `Snapsec VM accepts this key only with the ${header} header. Add it under Custom headers as "${header}: value" (ask your VM administrator for the value) and test again.`,
      { status, header },
    ),
  forbidden: (action: string, role: string | undefined, status: number) =>
    new SnapsecVmError(
      "forbidden",
      `This key may not ${action}${role ? ` (its role is ${role})` : ""}. Generate the key as a VM admin or manager in ${KEY_PLACE}.`,
      { status },
    ),
  assessmentNotFound: (assessmentId: string) =>
    new SnapsecVmError(
      "assessment_not_found",
      `Snapsec VM has no assessment ${assessmentId}; it may have been deleted in VM. Choose another assessment in the Snapsec VM settings.`,
      { status: 404 },
    ),
  notFound: (what: string) =>
    new SnapsecVmError("not_found", `Snapsec VM has no ${what}. It may have been deleted in VM.`, { status: 404 }),
  rejected: (detail: string, status: number, field?: string) =>
    new SnapsecVmError(
      "rejected",
      `Snapsec VM rejected the request (HTTP ${status}): ${detail}. This is a bug in Postura's mapping or a changed VM API; please report it.`,
      { status, field },
    ),
  rateLimited: (attempts: number, retryAfterMs?: number) =>
    new SnapsecVmError(
      "rate_limited",
      retryAfterMs !== undefined
        ? `Snapsec VM is limiting requests and asked Postura to wait ${seconds(retryAfterMs)}, longer than Postura waits in one go. Postura will try again later.`
        : `Snapsec VM is limiting requests and kept refusing after ${tries(attempts)}. Postura will try again later.`,
      { status: 429, attempts, retryAfterMs },
    ),
  unavailable: (status: number, attempts: number, retryAfterMs?: number) =>
    new SnapsecVmError(
      "vm_unavailable",
      `Snapsec VM is not available right now (HTTP ${status}, ${tries(attempts)}). This is usually temporary; Postura will try again later.`,
      { status, attempts, retryAfterMs },
    ),
  networkUnreachable: (baseUrl: string, attempts: number, cause?: unknown) =>
    new SnapsecVmError(
      "network_unreachable",
      `Postura could not reach Snapsec VM at ${new URL(baseUrl).host} (${tries(attempts)}). Verify network access to the VM endpoint from this server: the base URL, DNS, proxy and firewall.`,
      { attempts },
      { cause },
    ),
  timeout: (timeoutMs: number, attempts: number) =>
    new SnapsecVmError(
      "timeout",
      `Snapsec VM did not answer within ${seconds(timeoutMs)} (${tries(attempts)}). Verify network access to the VM endpoint; if it keeps happening VM may be degraded.`,
      { attempts },
    ),
  unexpectedResponse: (detail: string, extra: SnapsecVmErrorDetails = {}) =>
    new SnapsecVmError(
      "unexpected_response",
      `Snapsec VM answered in a form Postura does not understand (${detail}). Check the VM base URL; if it is right, VM's API may have changed: please report this.`,
      extra,
    ),
};
