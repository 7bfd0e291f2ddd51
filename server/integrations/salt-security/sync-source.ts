// The Salt Security side of the inbound sync: hosts, endpoints and posture gaps read through the client and
// handed to server/sync as generic endpoints and findings.
import type { integrations, SkippedRecord } from "@/db/schema";
import type { SourcePage, SyncSource } from "@/server/sync/types";
import type { InvalidSaltRecord, SaltClient } from "./client";
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
      const invalid: InvalidSaltRecord[] = [];
      for await (const page of client.listEndpoints({ host: domain }, { onInvalidRecord: (r) => invalid.push(r) })) {
        yield pageOf(page.map(endpointFromSalt), invalid.splice(0), "endpoint");
      }
      if (invalid.length > 0) yield pageOf([], invalid, "endpoint");
    },
    async *findings(domain) {
      const invalid: InvalidSaltRecord[] = [];
      for await (const page of client.listPostureGaps({ host: domain }, { onInvalidRecord: (r) => invalid.push(r) })) {
        yield pageOf(
          page.map((gap) => findingFromPostureGap(gap, settings.statusMapping)),
          invalid.splice(0),
          "finding",
        );
      }
      if (invalid.length > 0) yield pageOf([], invalid, "finding");
    },
  };
}

function pageOf<T>(records: T[], invalid: InvalidSaltRecord[], kind: SkippedRecord["kind"]): SourcePage<T> {
  // Ids are raw here; the ingest core cleans every skipped record's text before storing it.
  return { records, skipped: invalid.map((r) => ({ kind, id: r.id, reason: r.problem })) };
}
