// Salt API conventions as the simulator serves them. Everything marked "not public, defined by Postura's simulator"
// is our own choice: Salt does not document it. It lives here, once, so a real tenant's answer can replace it.
// The client's mirror of these choices is server/integrations/salt-security/conventions.ts (see contract.md there).

/** Public: regions and API prefix. The simulator serves each region under a path prefix of one origin. */
export const REGIONS = ["us", "eu"] as const;
export type Region = (typeof REGIONS)[number];

/** Public: scopes. */
export const SCOPE_VIEWER = "perm-viewer";
export const SCOPE_EXECUTOR = "perm-executor";
export type Scope = typeof SCOPE_VIEWER | typeof SCOPE_EXECUTOR;

/** Public: severities and statuses of posture gaps. */
export const SEVERITIES = ["Info", "Low", "Medium", "High", "Critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const STATUSES = ["Open", "Inprocess", "Resolved", "Ignored"] as const;
export type Status = (typeof STATUSES)[number];

/** Public: paths. */
export const PATHS = {
  hosts: "/v1/inventory/hosts",
  endpoints: "/v1/inventory/endpoints",
  postureGaps: "/v1/apigovern/posture/gaps",
} as const;

/**
 * Public: `?limit=&offset=` and `{ response, endOffset }`.
 * Not public, defined by Postura's simulator: the default and maximum limit, and the endOffset rule:
 * endOffset = offset + response.length (the offset of the next page); a page shorter than `limit` is the last one.
 * Rows keep insertion order, so a row added during a walk appears at the end.
 */
export const PAGE_DEFAULT_LIMIT = 100;
export const PAGE_MAX_LIMIT = 1000;
export interface PageEnvelope<T> {
  response: T[];
  endOffset: number;
}

/** Public: the posture gap fields. Not public: the ticket object shape and cweId as the string "CWE-<n>". */
export interface PostureGapTicket {
  ticketId: string;
  system: string;
  url: string;
}
export interface PostureGap {
  postureGapId: string;
  postureGapName: string;
  severity: Severity;
  status: Status;
  categories: string[];
  host: string;
  method: string;
  endpointPath: string;
  tickets: PostureGapTicket[];
  detected: string;
  lastActivity: string;
  endpointLabels: string[];
  cweId: string | null;
}

/** Not public, defined by Postura's simulator: host fields beyond the host name. */
export interface SaltHost {
  hostId: string;
  host: string;
  labels: string[];
  endpointCount: number;
  firstSeen: string;
  lastSeen: string;
}

/** Not public, defined by Postura's simulator: endpoint fields beyond host, method and path. */
export interface SaltEndpoint {
  endpointId: string;
  host: string;
  method: string;
  endpointPath: string;
  labels: string[];
  firstSeen: string;
  lastSeen: string;
}

/**
 * Not public, defined by Postura's simulator: query filters.
 * - endpoints: `host`
 * - posture gaps: `host`, `status`, `severity` (exact values), and `postureGapId` (read one gap; Salt has no
 *   documented GET-by-id, so the client reads a one-row filtered page).
 */
export const GAP_ID_FILTER = "postureGapId";

/**
 * Not public, defined by Postura's simulator: the body of `POST /v1/apigovern/posture/gaps`.
 * `{ "postureGapId": "...", "status": "Resolved" }` → 200 `{ "response": <gap>, "changed": boolean }`.
 * `{ "dryRun": true }` checks authentication and the perm-executor scope only, writes nothing,
 * and answers 200 `{ "dryRun": true, "permitted": true }`: the client's side-effect-free write-scope probe.
 */
export interface WriteBackBody {
  postureGapId?: unknown;
  status?: unknown;
  dryRun?: unknown;
}

/**
 * Not public, defined by Postura's simulator: error bodies. Every error is JSON `{ errorCode, message }`;
 * 403 adds `requiredScope`; 429 carries a `Retry-After` header (seconds or HTTP date).
 */
export const ERROR_CODES = {
  unauthorized: "UNAUTHORIZED",
  keyExpired: "API_KEY_EXPIRED",
  forbidden: "FORBIDDEN",
  badRequest: "BAD_REQUEST",
  notFound: "NOT_FOUND",
  rateLimited: "RATE_LIMITED",
  internal: "INTERNAL_ERROR",
  badGateway: "BAD_GATEWAY",
  unavailable: "SERVICE_UNAVAILABLE",
} as const;
export interface SaltErrorBody {
  errorCode: (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
  message: string;
  requiredScope?: Scope;
}

/**
 * Public: a Custom Webhook substitutes `{{host}}` and `{{eventType}}` in its JSON body template.
 * Not public, defined by Postura's simulator: the list of event types.
 */
export const WEBHOOK_EVENT_TYPES = [
  "posture_gap.created",
  "posture_gap.updated",
  "posture_gap.status_changed",
  "posture_gap.deleted",
  "integration.test",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Not public: Salt's rate limits. The simulator only returns 429 when a fault is injected. */
export const CONTROL_PREFIX = "/__control";
