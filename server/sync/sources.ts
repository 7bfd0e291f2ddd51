// Which source reads each integration kind. The one switch in server/sync/ that names an integration.
import type { integrations } from "@/db/schema";
import { saltClientForIntegration } from "@/server/integrations/salt-security/integration-client";
import { saltSyncSource } from "@/server/integrations/salt-security/sync-source";
import type { SyncDependencies } from "./engine";
import type { SyncSource } from "./types";

type IntegrationRow = typeof integrations.$inferSelect;

export function openIntegrationSource(integration: IntegrationRow): SyncSource {
  switch (integration.kind) {
    case "salt_security":
      return saltSyncSource(saltClientForIntegration(integration), integration.settings);
    case "snapsec_vm":
      // Snapsec VM receives issues (server/forwarding/); nothing is imported from it.
      throw new Error("Snapsec VM is not an import source");
  }
}

export const defaultSyncDependencies: SyncDependencies = { openSource: openIntegrationSource };
