// The Salt Security side of the inbound sync: hosts, endpoints and posture gaps read through the client and
// handed to server/sync as generic endpoints and findings.
import type { integrations } from "@/db/schema";
import type { SyncSource } from "@/server/sync/types";
import type { SaltClient } from "./client";
import { endpointFromSalt, findingFromPostureGap, SALT_DISPLAY_NAME } from "./mapping";
import type { SaltHost } from "./schemas";

type IntegrationRow = typeof integrations.$inferSelect;

export function saltSyncSource(client: SaltClient, settings: Pick<IntegrationRow["settings"], "statusMapping">): SyncSource {
  // Salt has no documented GET-by-host: walk the host list once per source (one source serves one job).
  let hostLookup: Promise<Map<string, SaltHost>> | null = null;
  async function findHost(domain: string): Promise<SaltHost | null> {
    hostLookup ??= (async () => {
      const byName = new Map<string, SaltHost>();
      for await (const page of client.listHosts()) for (const host of page) byName.set(host.host, host);
      return byName;
    })();
    return (await hostLookup).get(domain) ?? null;
  }

  return {
    displayName: SALT_DISPLAY_NAME,
    async domainLabels(domain) {
      const host = await findHost(domain);
      return host ? [...new Set(host.labels)].sort() : null;
    },
    async endpointCountHint(domain) {
      return (await findHost(domain))?.endpointCount ?? null;
    },
    async *endpoints(domain) {
      for await (const page of client.listEndpoints({ host: domain })) yield page.map(endpointFromSalt);
    },
    async *findings(domain) {
      for await (const page of client.listPostureGaps({ host: domain })) {
        yield page.map((gap) => findingFromPostureGap(gap, settings.statusMapping));
      }
    },
  };
}
