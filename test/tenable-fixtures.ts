// What the Tenable.io import tests share: the simulator's view as the import must end with it, a connector on the
// simulator, and the real connector source with short waits.
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { integrations, issues } from "@/db/schema";
import { findingIdentity, NodeIndex, observedAt } from "@/server/integrations/tenable";
import { encryptTenableKeys } from "@/server/integrations/tenable/integration-client";
import type { HostImportDependencies } from "@/server/sync/host-import";
import { openConnectorSource } from "@/server/sync/sources";
import type { TenableSimulator } from "@/tools/tenable-simulator";

/** The real connector source, with short export polls so the flow stays fast. */
export const fastTenableDeps: HostImportDependencies = {
  openSource: (integration, context) =>
    openConnectorSource(integration, context, {
      poll: { initialDelayMs: 5, maxDelayMs: 20, maxTotalMs: 10_000 },
      retry: { maxAttempts: 4, maxTotalWaitMs: 3_000, initialDelayMs: 5, maxDelayMs: 40 },
    }),
};

export type ExpectedFinding = {
  state: string;
  at: number;
  node: string;
  /** The finding's own asset uuid, plugin, port and protocol: the same whichever chunk a node was first seen in. */
  resultKey: string;
};

/** A result named independently of the order in which chunks arrived (see ExpectedFinding.resultKey). */
export const resultKey = (assetUuid: string, pluginId: number, port: number, protocol: string | null) =>
  `${assetUuid}|${pluginId}|${port}|${(protocol ?? "tcp").toLowerCase()}`;

/**
 * What Tenable holds, as the import must see it: the most recent result per finding identity (node + plugin + port
 * + protocol), keyed by that identity. `assetIndices` restricts it to some assets (the contents of some chunks).
 */
export function expectedFindings(sim: TenableSimulator, options: { sinceMs?: number; assetIndices?: Iterable<number> } = {}) {
  const nodes = new NodeIndex();
  const latest = new Map<string, ExpectedFinding>();
  const indices = options.assetIndices ?? Array.from({ length: sim.data.assetCount() }, (_, i) => i);
  for (const i of indices) {
    for (const finding of sim.data.findingsOf(i)) {
      const at = observedAt(finding);
      if (at < (options.sinceMs ?? 0)) continue;
      const node = nodes.resolve(finding.asset);
      const id = findingIdentity(finding, node);
      const held = latest.get(id);
      if (!held || at >= held.at) {
        latest.set(id, { state: finding.state, at, node, resultKey: resultKey(finding.asset.uuid, finding.plugin.id, finding.port.port, finding.port.protocol ?? null) });
      }
    }
  }
  return latest;
}

/** The company's Tenable issues keyed by resultKey, with how many rows each key has (more than one is a duplicate). */
export async function importedResults(handle: DatabaseHandle, companyId: string) {
  const rows = await handle.db.select().from(issues).where(eq(issues.companyId, companyId));
  const byKey = new Map<string, { status: string; rows: number }>();
  for (const issue of rows) {
    const details = issue.details as { tenableAssetUuid?: string; pluginId?: number };
    const key = resultKey(details.tenableAssetUuid ?? "?", details.pluginId ?? -1, issue.port ?? -1, issue.protocol);
    const held = byKey.get(key);
    byKey.set(key, { status: issue.status, rows: (held?.rows ?? 0) + 1 });
  }
  return { rows, byKey };
}

/** What importedResults must equal for `expected`: every result once, Fixed when Tenable says FIXED. */
export function asImported(expected: Map<string, ExpectedFinding>) {
  return new Map([...expected.values()].map((f) => [f.resultKey, { status: f.state === "FIXED" ? "fixed" : "identified", rows: 1 }]));
}

/** A connected Tenable.io connector on the simulator (admin keys, Days since blank). */
export async function seedTenableConnector(handle: DatabaseHandle, sim: TenableSimulator, companyId: string): Promise<string> {
  const [connector] = await handle.db
    .insert(integrations)
    .values({
      companyId,
      kind: "tenable_io",
      state: "connected",
      credentialsEncrypted: encryptTenableKeys(sim.keys.admin),
      baseUrl: sim.baseUrl,
      daysSince: null,
    })
    .returning({ id: integrations.id });
  return connector!.id;
}
