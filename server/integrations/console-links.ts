// Links from an issue to its finding in the source's console, one module per integration deciding its own format.
import type { IntegrationKind } from "@/db/schema";
import { saltGapConsoleUrl } from "./salt-security/console-link";
import { tenableAssetConsoleUrl, tenablePluginUrl } from "./tenable/console-link";

export type ConsoleLink = { label: string; url: string };

export function findingConsoleLinks(
  issue: { source: IntegrationKind | null; externalId: string | null; details: Record<string, unknown> | null },
  integration: { region: string | null; baseUrl: string | null } | null,
): ConsoleLink[] {
  const links: { label: string; url: string | null }[] = [];
  if (issue.source === "salt_security") {
    links.push({ label: "Open in Salt Security", url: saltGapConsoleUrl(integration?.region ?? null, issue.externalId) });
  } else if (issue.source === "tenable_io") {
    links.push({ label: "Plugin at tenable.com", url: tenablePluginUrl(issue.details?.pluginId) });
    links.push({ label: "Asset in Tenable.io", url: tenableAssetConsoleUrl(integration?.baseUrl ?? null, issue.details?.tenableAssetUuid) });
  }
  return links.filter((l): l is ConsoleLink => l.url !== null);
}
