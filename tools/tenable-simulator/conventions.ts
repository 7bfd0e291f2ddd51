// Tenable.io (Tenable Vulnerability Management) conventions as the simulator serves them. "Public" items follow
// Tenable's developer documentation and pyTenable (see /work/shared/TENABLE_API.md); everything marked "not public,
// defined by Postura's simulator" is our own choice, made here once so a real container's answer can replace it.
// The client's mirror of these choices is server/integrations/tenable/conventions.ts.

/** Public: paths. */
export const PATHS = {
  /** The signed-in user of the keys: the client's cheap authenticated call. */
  session: "/session",
  vulnsExport: "/vulns/export",
  /** The container's recent vulnerability export jobs (`{ exports: [...] }`); needs export permission. */
  vulnsExportJobs: "/vulns/export/status",
  importAssets: "/import/assets",
  assetImportJobs: "/import/asset-jobs",
} as const;

/** Public: `/vulns/export/{uuid}/status|cancel|chunks/{id}`. */
export const EXPORT_PATH = /^\/vulns\/export\/([0-9a-f-]{36})\/(status|cancel|chunks\/(\d+))$/;

/** Public: the auth header. Accepted with or without the trailing ";" and with or without the space after it. */
export const API_KEYS_HEADER = "x-apikeys";
export const API_KEYS_PATTERN = /^accessKey=([^;\s]+); ?secretKey=([^;\s]+);?$/;

/** Public: bad keys answer exactly this. */
export const UNAUTHORIZED_BODY = { statusCode: 401, error: "Unauthorized", message: "Invalid credentials." } as const;

/** Not public (the status is public): the body of a 403 and other JSON errors, in the 401's shape. */
export function errorBody(statusCode: number, error: string, message: string) {
  return { statusCode, error, message };
}

/**
 * Public: the user roles' permission numbers (session.permissions). Not public, defined by Postura's simulator: the
 * lowest role that may export vulnerabilities (Standard, 32) — a Basic user (16) gets 403. Public: importing
 * assets needs Scan Manager (40).
 */
export const PERMISSIONS = { basic: 16, scanOperator: 24, standard: 32, scanManager: 40, administrator: 64 } as const;
export const EXPORT_MIN_PERMISSION = PERMISSIONS.standard;
export const ASSET_IMPORT_MIN_PERMISSION = PERMISSIONS.scanManager;

/** Public: num_assets per chunk, default 50, clamped into 50..5000. */
export const NUM_ASSETS_MIN = 50;
export const NUM_ASSETS_MAX = 5000;
export const NUM_ASSETS_DEFAULT = 50;

/** Public: with no time filter, an export returns only findings of the last 30 days. */
export const DEFAULT_WINDOW_DAYS = 30;
/**
 * Not public, defined by Postura's simulator: `since: 0` (or any value ≤ 0) counts as no time filter, so it gets the
 * 30-day window too — a falsy value is what a server is most likely to drop. Clients send a real early date.
 */
export const SINCE_IGNORED_AT_OR_BELOW = 0;

/** Public: states and severities. */
export const STATES = ["OPEN", "REOPENED", "FIXED"] as const;
export type FindingState = (typeof STATES)[number];
export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
/**
 * Public: without `since` the default states are OPEN + REOPENED; with `since` and no state the docs include FIXED
 * (they disagree; the simulator follows this reading).
 */
export const DEFAULT_STATES_WITHOUT_SINCE: readonly FindingState[] = ["OPEN", "REOPENED"];
export const DEFAULT_STATES_WITH_SINCE: readonly FindingState[] = STATES;

/** Public: export job statuses. */
export const EXPORT_STATUSES = ["QUEUED", "PROCESSING", "FINISHED", "CANCELLED", "ERROR"] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/**
 * Not public, defined by Postura's simulator: how an export progresses. It is driven by status polls, not by time,
 * so tests are exact: the first `queuedPolls` status calls answer QUEUED; then each PROCESSING poll makes
 * ceil(total_chunks / processingPolls) more chunks available, in a seeded shuffled order (chunks finish out of
 * order); the poll that releases the last chunk answers FINISHED. Chunk ids count from 1.
 */
export interface ExportTiming {
  queuedPolls: number;
  processingPolls: number;
}
export const DEFAULT_EXPORT_TIMING: ExportTiming = { queuedPolls: 1, processingPolls: 3 };

/**
 * Not public, defined by Postura's simulator: ids and chunk contents. Export, scan, finding and asset ids are
 * seeded v4-shaped uuids; chunk k holds the matching findings of assets (k−1)·num_assets … k·num_assets−1 in asset
 * order, built when downloaded (a chunk with no match is served as [] and counted in empty_chunks_count). A chunk
 * that failed, was cancelled or has expired answers 404; one not yet released answers 400.
 */
export const FIRST_CHUNK_ID = 1;

/** Public: ~10 concurrent exports per container; over it, 429 with retry-after. */
export const MAX_ACTIVE_EXPORTS = 10;
/** Not public, defined by Postura's simulator: the retry-after sent with a 429 when no other is given (seconds). */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Not public, defined by Postura's simulator: a duplicate export is one by the same container with the same request
 * body (num_assets after clamping, include_unlicensed and filters) while the first is QUEUED or PROCESSING.
 * Public: the answer is 409 `{ active_job_id, failure_reason }`.
 */
export const DUPLICATE_EXPORT_REASON =
  "Duplicate export not allowed. Please modify request or wait until existing export is complete.";

/** Public: the 429 body is an HTML page, not JSON. */
export const RATE_LIMITED_HTML =
  "<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center></body></html>";

/** Public: chunks are served as application/octet-stream (a JSON array inside). */
export const CHUNK_CONTENT_TYPE = "application/octet-stream";

/** Public: an asset import request is at most 5 MB. Not public: we read it as 5 MiB. */
export const ASSET_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** Public: each imported asset needs at least one of these. */
export const ASSET_IMPORT_IDENTIFIERS = ["fqdn", "ipv4", "netbios_name", "mac_address"] as const;

/** Public: a finding as an export serves it. Empty attributes are omitted, so most fields are optional. */
export interface TenableAsset {
  uuid: string;
  hostname?: string;
  fqdn?: string;
  ipv4?: string;
  ipv6?: string;
  mac_address?: string;
  netbios_name?: string;
  operating_system?: string[];
  network_id: string;
  tracked: boolean;
}
export interface TenablePlugin {
  id: number;
  name: string;
  family: string;
  cve?: string[];
  solution?: string;
  synopsis?: string;
  description?: string;
  risk_factor: string;
  cvss3_base_score?: number;
  vpr?: { score: number; updated: string };
  has_patch: boolean;
  exploit_available?: boolean;
}
export interface TenableFinding {
  asset: TenableAsset;
  plugin: TenablePlugin;
  port: { port: number; protocol: string; service?: string };
  scan: { uuid: string; started_at: string; completed_at: string };
  severity: Severity;
  severity_id: number;
  severity_default_id: number;
  severity_modification_type: "NONE";
  state: FindingState;
  first_found: string;
  last_found: string;
  last_fixed?: string;
  indexed: string;
  finding_id: string;
  output?: string;
}

export const CONTROL_PREFIX = "/__control";
