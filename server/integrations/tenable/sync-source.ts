// The Tenable.io side of the connector import: one vulnerability export read chunk by chunk and handed to
// server/sync as host findings. Here, and only here, Tenable's records become Postura's words: node identity
// (NodeIndex), the most recent result per finding, Info → Notification, OPEN/REOPENED/FIXED → statuses.
import type { IssueStatus, Severity } from "@/db/schema";
import type { HostSyncProgress, HostSyncSource, SourceFinding, SourcePage } from "@/server/sync/types";
import type { ExportWindow, SkippedFinding, TenableClient } from "./client";
import { findingIdentity, type KnownNode, NodeIndex, normaliseFqdn, observedAt } from "./identity";
import type { TenableFinding, TenableSeverity, TenableState } from "./schemas";

export const TENABLE_DISPLAY_NAME = "Tenable.io";

const severityOf: Record<TenableSeverity, Severity> = {
  info: "notification",
  low: "low",
  medium: "medium",
  high: "high",
  critical: "critical",
};

/** Tenable says FIXED itself; OPEN and REOPENED are open work (a REOPENED one reopens its issue with a history row). */
const statusOf: Record<TenableState, IssueStatus> = { OPEN: "identified", REOPENED: "identified", FIXED: "fixed" };

function hostName(finding: TenableFinding): string {
  const { asset } = finding;
  return normaliseFqdn(asset.fqdn) ?? asset.hostname ?? asset.ipv4 ?? asset.netbios_name ?? asset.uuid;
}

function toSourceFinding(finding: TenableFinding, node: string, externalId: string): SourceFinding {
  const { asset, plugin, port } = finding;
  const observed = observedAt(finding);
  return {
    externalId,
    title: plugin.name,
    severity: severityOf[finding.severity],
    externalStatus: finding.state,
    mappedStatus: statusOf[finding.state],
    categories: plugin.family ? [plugin.family] : [],
    cwe: null,
    detectedAt: finding.first_found ? new Date(finding.first_found) : null,
    lastActivityAt: observed > 0 ? new Date(observed) : null,
    endpoint: null,
    host: {
      ref: node,
      name: hostName(finding),
      hostname: asset.hostname ?? null,
      fqdn: normaliseFqdn(asset.fqdn) ?? null,
      ipv4: asset.ipv4 ?? null,
      operatingSystem: asset.operating_system?.join(", ") || null,
    },
    vulnerability: {
      cves: plugin.cve ?? [],
      cvssScore: plugin.cvss3_base_score ?? null,
      vprScore: plugin.vpr?.score ?? null,
      port: port.port,
      protocol: port.protocol?.toLowerCase() ?? null,
      service: port.service ?? null,
    },
    details: {
      pluginId: plugin.id,
      ...(plugin.family ? { pluginFamily: plugin.family } : {}),
      ...(plugin.synopsis ? { synopsis: plugin.synopsis } : {}),
      ...(plugin.description ? { description: plugin.description } : {}),
      ...(plugin.solution ? { solution: plugin.solution } : {}),
      ...(finding.output ? { output: finding.output } : {}),
      ...(finding.first_found ? { firstFound: finding.first_found } : {}),
      ...(finding.last_found ? { lastFound: finding.last_found } : {}),
      ...(finding.last_fixed ? { lastFixed: finding.last_fixed } : {}),
      tenableAssetUuid: asset.uuid,
    },
  };
}

function skippedRecord(s: SkippedFinding) {
  return {
    kind: "finding" as const,
    id: s.findingId ?? `chunk ${s.chunkId} record ${s.index + 1}`,
    reason: `${s.field}: ${s.message}`,
  };
}

/**
 * Assets per export chunk for an import. A chunk is downloaded, parsed and held whole (its findings are written in
 * batches, server/sync/host-import.ts), so its size is what the import holds in memory, twice while the next one is
 * read ahead. Tenable's own default, 50 assets, is ~1,000 findings (~1.3 MB of JSON) at 20 a host; pyTenable
 * sends 500 (~13 MB here, and a peak RSS over 550 MB at 100,000 findings, bench/RESULTS.md).
 */
export const IMPORT_NUM_ASSETS = 50;

/**
 * A read of Tenable.io for the connector import. `knownNodes` are the nodes already stored, so a machine Tenable
 * gives a new uuid (rebuilt, agent reinstalled) stays the same node by its fqdn, then its ipv4.
 */
export function tenableSyncSource(
  client: TenableClient,
  options: { window: ExportWindow; knownNodes: Iterable<KnownNode>; onProgress?: (progress: HostSyncProgress) => void },
): HostSyncSource {
  const nodes = new NodeIndex(options.knownNodes);
  const exported = client.exportVulns(
    { window: options.window, numAssets: IMPORT_NUM_ASSETS },
    {
      onProgress: (p) => options.onProgress?.({ done: p.chunksDone, total: p.chunksTotal ?? null, exportRef: p.exportUuid }),
    },
  );
  // When each finding's taken result was observed: a result older than one already taken (another uuid of the
  // same node, in a later chunk) is dropped, so the most recent result per node wins wherever it sits.
  const taken = new Map<string, number>();

  return {
    displayName: TENABLE_DISPLAY_NAME,
    async *findings(): AsyncGenerator<SourcePage<SourceFinding>> {
      for await (const chunk of exported) {
        const latest = new Map<string, { finding: TenableFinding; node: string; at: number }>();
        for (const finding of chunk.findings) {
          const node = nodes.resolve(finding.asset);
          const id = findingIdentity(finding, node);
          const at = observedAt(finding);
          const held = latest.get(id)?.at ?? taken.get(id);
          if (held !== undefined && held > at) continue;
          latest.set(id, { finding, node, at });
        }
        const records: SourceFinding[] = [];
        for (const [id, { finding, node, at }] of latest) {
          taken.set(id, at);
          records.push(toSourceFinding(finding, node, id));
        }
        yield { records, skipped: chunk.skipped.map(skippedRecord) };
      }
    },
    cancel: () => exported.cancel(),
  };
}
