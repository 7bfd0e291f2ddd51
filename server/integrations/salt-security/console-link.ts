// Where a person opens a posture gap in Salt's own console. Salt publishes no deep-link format: the hosts and path
// below are our best knowledge, kept here only, so a real tenant's URL pattern replaces them in one place.
import { isSaltRegion, type SaltRegion } from "./regions";

export const SALT_CONSOLE_HOSTS: Record<SaltRegion, string> = {
  us: "https://app.secured-api.com",
  eu: "https://app.secured-api-eu.com",
};

export function saltGapConsoleUrl(region: string | null, gapId: string | null): string | null {
  if (!isSaltRegion(region) || !gapId) return null;
  return `${SALT_CONSOLE_HOSTS[region]}/posture-gaps/${encodeURIComponent(gapId)}`;
}
