// Salt conventions that are NOT public: defined by Postura's simulator (tools/salt-simulator/conventions.ts) and
// mirrored here, in one place, so a real tenant's answer can replace them. contract.md lists each one.
import type { SaltStatus } from "./schemas";

export const SALT_PATHS = {
  hosts: "/v1/inventory/hosts",
  endpoints: "/v1/inventory/endpoints",
  postureGaps: "/v1/apigovern/posture/gaps",
} as const;

export const SALT_SCOPES = { viewer: "perm-viewer", executor: "perm-executor" } as const;
export type SaltScope = (typeof SALT_SCOPES)[keyof typeof SALT_SCOPES];

/** The simulator caps `limit` at 1000; the client asks for 500 rows by default. */
export const SALT_MAX_PAGE_SIZE = 1000;
export const SALT_DEFAULT_PAGE_SIZE = 500;

/** GET-by-id is not documented: read a one-row page filtered by this query parameter. */
export const SALT_GAP_ID_FILTER = "postureGapId";

/** Status write-back body. */
export function writeBackBody(postureGapId: string, status: SaltStatus): Record<string, unknown> {
  return { postureGapId, status };
}

/**
 * Side-effect-free write-scope probe: `{ dryRun: true }` names no gap, so a server that ignored the flag would reject
 * the body (400/422) rather than write; 2xx or 400/422 means the key may write, 403 means it lacks perm-executor.
 */
export const WRITE_PROBE_BODY = { dryRun: true } as const;

/** Expired keys: 401 whose body says so (simulator: errorCode API_KEY_EXPIRED, message "...expired..."). */
export function saysExpired(errorCode: string | undefined, message: string | undefined): boolean {
  return errorCode === "API_KEY_EXPIRED" || /expired/i.test(message ?? "");
}
