// Salt's two regions and their API base URLs; env overrides point them at the simulator.
export const SALT_REGIONS = ["us", "eu"] as const;
export type SaltRegion = (typeof SALT_REGIONS)[number];

export const SALT_DEFAULT_BASE_URLS: Record<SaltRegion, string> = {
  us: "https://api.secured-api.com",
  eu: "https://api.secured-api-eu.com",
};

const ENV_OVERRIDES: Record<SaltRegion, string> = {
  us: "SALT_US_BASE_URL",
  eu: "SALT_EU_BASE_URL",
};

export const SALT_REGION_LABELS: Record<SaltRegion, string> = { us: "US", eu: "EU" };

export function isSaltRegion(value: unknown): value is SaltRegion {
  return value === "us" || value === "eu";
}

export function otherRegion(region: SaltRegion): SaltRegion {
  return region === "us" ? "eu" : "us";
}

/**
 * Read at call time (not import time) so tests and the demo can point a region at the simulator. This module reads
 * process.env itself instead of server/env so the client also runs in scripts that do not load the app's env.
 */
export function saltBaseUrl(region: SaltRegion): string {
  const override = process.env[ENV_OVERRIDES[region]];
  const url = override && override.trim() !== "" ? override.trim() : SALT_DEFAULT_BASE_URLS[region];
  return url.replace(/\/+$/, "");
}
