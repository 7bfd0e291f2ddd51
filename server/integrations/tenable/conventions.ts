// Tenable.io facts the client relies on (public unless marked), and the choices the client makes where Tenable
// leaves room. The simulator's side of the same facts is tools/tenable-simulator/conventions.ts.

export const TENABLE_DEFAULT_BASE_URL = "https://cloud.tenable.com";

export const TENABLE_PATHS = {
  session: "/session",
  vulnsExport: "/vulns/export",
  vulnsExportJobs: "/vulns/export/status",
  exportStatus: (uuid: string) => `/vulns/export/${encodeURIComponent(uuid)}/status`,
  exportChunk: (uuid: string, chunk: number) => `/vulns/export/${encodeURIComponent(uuid)}/chunks/${chunk}`,
  exportCancel: (uuid: string) => `/vulns/export/${encodeURIComponent(uuid)}/cancel`,
  importAssets: "/import/assets",
} as const;

/** Public: num_assets is clamped into 50..5000 by Tenable; pyTenable sends 500, and so do we by default. */
export const NUM_ASSETS_MIN = 50;
export const NUM_ASSETS_MAX = 5000;
export const NUM_ASSETS_DEFAULT = 500;

export const TENABLE_STATES = ["OPEN", "REOPENED", "FIXED"] as const;
export const TENABLE_SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;

/**
 * An export with no time filter returns only the last 30 days (Tenable's trap), so every export sends `since`.
 * "Unlimited" sends this explicit early date (2000-01-01T00:00:00Z), never 0, which a server may read as absent.
 */
export const UNLIMITED_SINCE_SECONDS = 946_684_800;

/**
 * A days window starts at the top of the hour: a rerun within the hour sends the same request, so Tenable answers
 * 409 with the running export and the client resumes it instead of starting a second one.
 */
export const SINCE_ROUNDING_SECONDS = 3600;

/** Public: an asset import request is at most 5 MB; batches stay under 5,000,000 bytes of JSON. */
export const ASSET_IMPORT_MAX_BYTES = 5_000_000;
export const ASSET_IMPORT_SOURCE = "Postura";
