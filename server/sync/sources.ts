// Which source reads each integration kind. The one switch in server/sync/ that names an integration.
import type { integrations } from "@/db/schema";
import { saltClientForIntegration } from "@/server/integrations/salt-security/integration-client";
import { saltSyncSource } from "@/server/integrations/salt-security/sync-source";
import { tenableClientForConnector } from "@/server/integrations/tenable/integration-client";
import { tenableSyncSource } from "@/server/integrations/tenable/sync-source";
import type { SyncDependencies } from "./engine";
import type { HostImportDependencies, HostSourceContext } from "./host-import";
import type { HostSyncSource, SyncSource } from "./types";

type IntegrationRow = typeof integrations.$inferSelect;

export function openIntegrationSource(integration: IntegrationRow): SyncSource {
  switch (integration.kind) {
    case "salt_security":
      return saltSyncSource(saltClientForIntegration(integration), integration.settings);
    case "snapsec_vm":
      // Snapsec VM receives issues (server/forwarding/); nothing is imported from it.
      throw new Error("Snapsec VM is not an import source");
    case "tenable_io":
      throw new Error("Tenable.io has no domains to sync: its connector import runs through server/sync/host-import.ts.");
  }
}

/** The host source of a connector (Tenable.io): one export over the connector's Days since window. */
export function openConnectorSource(
  integration: IntegrationRow,
  context: HostSourceContext,
  clientOptions: Parameters<typeof tenableClientForConnector>[1] = {},
): HostSyncSource {
  switch (integration.kind) {
    case "tenable_io":
      return tenableSyncSource(tenableClientForConnector(integration, clientOptions), {
        window: integration.daysSince === null ? "unlimited" : { days: integration.daysSince },
        knownNodes: context.knownNodes,
        onProgress: context.onProgress,
      });
    case "salt_security":
      throw new Error("Salt Security syncs domains: see openIntegrationSource.");
    case "snapsec_vm":
      throw new Error("Snapsec VM is not an import source: issues are forwarded to it.");
  }
}

export const defaultHostImportDependencies: HostImportDependencies = { openSource: (integration, context) => openConnectorSource(integration, context) };

export const defaultSyncDependencies: SyncDependencies = { openSource: openIntegrationSource };
