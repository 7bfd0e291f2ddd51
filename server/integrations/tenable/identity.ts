// Who a finding is about, and which finding it is, across scans. A node is a host as Tenable knows it: its asset uuid,
// or — when Tenable gives the same host a new uuid (agent reinstalled, VM rebuilt) — the node already known by the
// same fqdn, then the same ipv4. A finding is node + plugin id + port + protocol; the output changes every scan and
// is never part of it (DefectDojo #11994 hashed it and duplicated every finding on every scan).
import type { TenableAsset, TenableFinding } from "./schemas";

/** Lowercase, no trailing dot, no surrounding space; undefined when empty. */
export function normaliseFqdn(fqdn: string | undefined): string | undefined {
  const value = fqdn?.trim().toLowerCase().replace(/\.+$/, "");
  return value ? value : undefined;
}

function normaliseIpv4(ipv4: string | undefined): string | undefined {
  const value = ipv4?.trim();
  return value ? value : undefined;
}

export interface KnownNode {
  /** The node key (the first asset uuid it was known by). */
  node: string;
  uuid?: string;
  fqdn?: string;
  ipv4?: string;
}

/**
 * Resolves assets to node keys: by asset uuid, else by fqdn, else by ipv4, else a new node keyed by the uuid.
 * Seed it with the nodes already stored so resolution is stable across imports; it learns every alias it sees.
 */
export class NodeIndex {
  private readonly byUuid = new Map<string, string>();
  private readonly byFqdn = new Map<string, string>();
  private readonly byIpv4 = new Map<string, string>();

  constructor(known: Iterable<KnownNode> = []) {
    for (const node of known) this.learn(node.node, node);
  }

  resolve(asset: Pick<TenableAsset, "uuid" | "fqdn" | "ipv4">): string {
    const fqdn = normaliseFqdn(asset.fqdn);
    const ipv4 = normaliseIpv4(asset.ipv4);
    const node =
      this.byUuid.get(asset.uuid) ??
      (fqdn === undefined ? undefined : this.byFqdn.get(fqdn)) ??
      (ipv4 === undefined ? undefined : this.byIpv4.get(ipv4)) ??
      asset.uuid;
    this.learn(node, { uuid: asset.uuid, fqdn, ipv4 });
    return node;
  }

  /** An alias already held by another node keeps pointing there: the first claim wins. */
  private learn(node: string, aliases: Omit<KnownNode, "node">): void {
    if (aliases.uuid !== undefined && !this.byUuid.has(aliases.uuid)) this.byUuid.set(aliases.uuid, node);
    const fqdn = normaliseFqdn(aliases.fqdn);
    if (fqdn !== undefined && !this.byFqdn.has(fqdn)) this.byFqdn.set(fqdn, node);
    const ipv4 = normaliseIpv4(aliases.ipv4);
    if (ipv4 !== undefined && !this.byIpv4.has(ipv4)) this.byIpv4.set(ipv4, node);
  }
}

/** node + plugin id + port + lowercase protocol ("TCP" and "tcp" are one finding). Never the output. */
export function findingIdentity(
  finding: Pick<TenableFinding, "asset" | "plugin" | "port">,
  node: string = finding.asset.uuid,
): string {
  const protocol = (finding.port.protocol ?? "tcp").trim().toLowerCase();
  return `${node}|${finding.plugin.id}|${finding.port.port}|${protocol}`;
}

/** When this result was observed: FIXED findings when fixed, the others when last found (ms; 0 when unknown). */
export function observedAt(finding: Pick<TenableFinding, "state" | "last_found" | "last_fixed">): number {
  const at = finding.state === "FIXED" ? (finding.last_fixed ?? finding.last_found) : finding.last_found;
  return at === undefined ? 0 : Date.parse(at);
}

/** "The most recent result per node": of two results with one identity, the one observed later wins. */
export function moreRecentResult<F extends Pick<TenableFinding, "state" | "last_found" | "last_fixed">>(a: F, b: F): F {
  return observedAt(b) > observedAt(a) ? b : a;
}
