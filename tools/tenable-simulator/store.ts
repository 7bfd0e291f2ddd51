// The container's assets and findings: seeded ones are generated on demand; an asset is held in memory only once
// something changes it (a scan, an added finding), so a 100,000-finding seed costs nothing until it is exported.
import { SimulatorInputError } from "../simulator-kit/http";
import { createRandom, type Random } from "../simulator-kit/random";
import { SEVERITIES, STATES, type FindingState, type Severity, type TenableAsset, type TenableFinding } from "./conventions";
import { PLUGINS, PLUGIN_SLOTS, generatedSlot, type PluginSlot } from "./plugins";
import {
  DEFAULT_NETWORK_ID,
  buildFinding,
  pluginOutput,
  scanAt,
  seededAsset,
  seededFindings,
  seededUuid,
  type ScanInfo,
  type SeedOptions,
} from "./seed";

/** How a test names one finding: Tenable's identity (asset, plugin, port, protocol). */
export interface FindingRef {
  assetUuid: string;
  pluginId: number;
  port: number;
  protocol: string;
}

export interface ScanSpec {
  /** The assets scanned: their uuids, or the first n assets (default: every asset). */
  assets?: string[] | number;
  /** OPEN or REOPENED findings the scan no longer sees: they become FIXED. */
  fix?: number;
  /** FIXED findings the scan sees again: they become REOPENED. */
  reopen?: number;
  /** New findings (plugins the asset did not have): OPEN. */
  add?: number;
  /** When the scan ran (ISO; default now). */
  at?: string;
}

export interface ScanResult {
  scan: ScanInfo;
  assets: number;
  fixed: FindingRef[];
  reopened: FindingRef[];
  added: FindingRef[];
  /** OPEN/REOPENED findings seen again: last_found, scan and output move on. */
  seenAgain: number;
}

export interface NewFinding {
  /** An existing asset, or a new asset's fields (it needs an fqdn or an ipv4). */
  assetUuid?: string;
  asset?: Partial<Pick<TenableAsset, "hostname" | "fqdn" | "ipv4" | "operating_system">>;
  pluginId?: number;
  port?: number;
  protocol?: string;
  service?: string;
  state?: FindingState;
  severity?: Severity;
  firstFound?: string;
  lastFound?: string;
  lastFixed?: string;
  output?: string;
}

interface HeldAsset {
  asset: TenableAsset;
  lastScanAt: number;
  findings: TenableFinding[];
}

export function findingRef(finding: TenableFinding): FindingRef {
  return {
    assetUuid: finding.asset.uuid,
    pluginId: finding.plugin.id,
    port: finding.port.port,
    protocol: finding.port.protocol,
  };
}

function slotKey(pluginId: number, port: number, protocol: string): string {
  return `${pluginId}/${port}/${protocol.toLowerCase()}`;
}

/** Takes up to n items, one from each list in turn, so changes spread over the scanned assets. */
function roundRobin<T>(lists: T[][], n: number): T[] {
  const out: T[] = [];
  for (let round = 0; out.length < n; round++) {
    let any = false;
    for (const list of lists) {
      const item = list[round];
      if (item === undefined) continue;
      any = true;
      out.push(item);
      if (out.length >= n) break;
    }
    if (!any) break;
  }
  return out;
}

function parseTime(value: string | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new SimulatorInputError(400, `${field} must be an ISO date-time`);
  return at;
}

export class TenableData {
  private readonly held = new Map<number, HeldAsset>();
  private extraAssets = 0;
  private uuidIndex: Map<string, number> | null = null;
  private random: Random;

  constructor(
    private readonly options: SeedOptions,
    /** Seeded dates count back from here (ms). */
    readonly epoch: number,
  ) {
    this.random = createRandom(options.seed ^ 0x7e4a);
  }

  assetCount(): number {
    return this.options.assets + this.extraAssets;
  }

  /** Findings held plus seeded ones not yet held (seeded assets always have findingsPerAsset findings). */
  counts(): { assets: number; findings: number; heldAssets: number } {
    let findings = (this.options.assets - [...this.held.keys()].filter((i) => i < this.options.assets).length) * this.options.findingsPerAsset;
    for (const held of this.held.values()) findings += held.findings.length;
    return { assets: this.assetCount(), findings, heldAssets: this.held.size };
  }

  asset(index: number): TenableAsset {
    const held = this.held.get(index);
    if (held) return held.asset;
    return seededAsset(this.options, this.epoch, index).asset;
  }

  /** The findings of asset `index` as they stand now (a fresh copy for seeded assets, the held list otherwise). */
  findingsOf(index: number): readonly TenableFinding[] {
    const held = this.held.get(index);
    if (held) return held.findings;
    const seeded = seededAsset(this.options, this.epoch, index);
    return seededFindings(this.options, this.epoch, seeded, index);
  }

  indexOfAsset(uuid: string): number | undefined {
    if (!this.uuidIndex) {
      this.uuidIndex = new Map();
      for (let i = 0; i < this.assetCount(); i++) this.uuidIndex.set(this.asset(i).uuid, i);
    }
    return this.uuidIndex.get(uuid);
  }

  /** A scan of some assets at one time: fixes, reopens and adds findings, and moves every finding it sees again. */
  runScan(spec: ScanSpec, now: number): ScanResult {
    const at = parseTime(spec.at, "at", now);
    const indexes = this.scanTargets(spec.assets);
    const scan = scanAt(seededUuid(this.random), at);
    const assets = indexes.map((i) => this.hold(i));

    const openLists = assets.map((a) => a.findings.filter((f) => f.state !== "FIXED"));
    const fixedLists = assets.map((a) => a.findings.filter((f) => f.state === "FIXED"));
    const toFix = new Set(roundRobin(openLists, spec.fix ?? 0));
    const toReopen = new Set(roundRobin(fixedLists, spec.reopen ?? 0));

    let seenAgain = 0;
    for (const held of assets) {
      for (const finding of held.findings) {
        if (toFix.has(finding)) {
          finding.state = "FIXED";
          finding.last_fixed = scan.started_at;
        } else if (toReopen.has(finding)) {
          finding.state = "REOPENED";
          finding.last_found = scan.started_at;
        } else if (finding.state !== "FIXED") {
          finding.last_found = scan.started_at;
          seenAgain++;
        } else {
          continue;
        }
        finding.scan = scan;
        finding.indexed = new Date(at + 3_600_000).toISOString();
        finding.output = pluginOutput(finding);
      }
      held.lastScanAt = at;
    }

    const added: TenableFinding[] = [];
    for (let round = 0; added.length < (spec.add ?? 0) && assets.length > 0; round++) {
      const held = assets[round % assets.length]!;
      added.push(this.addToAsset(held, this.freeSlot(held), { state: "OPEN", firstFound: at, lastFound: at }, scan));
    }
    return {
      scan,
      assets: assets.length,
      fixed: [...toFix].map(findingRef),
      reopened: [...toReopen].map(findingRef),
      added: added.map(findingRef),
      seenAgain,
    };
  }

  /** One finding with explicit fields (e.g. last found 90 days ago), on an existing or a new asset. */
  addFinding(input: NewFinding, now: number): TenableFinding {
    const held = input.assetUuid !== undefined ? this.holdByUuid(input.assetUuid) : this.newAsset(input.asset ?? {});
    const template = input.pluginId === undefined ? undefined : PLUGINS.find((p) => p.id === input.pluginId);
    if (input.pluginId !== undefined && !template) {
      throw new SimulatorInputError(400, `pluginId must be one of ${PLUGINS.map((p) => p.id).join(", ")}`);
    }
    if (input.state !== undefined && !(STATES as readonly string[]).includes(input.state)) {
      throw new SimulatorInputError(400, `state must be one of ${STATES.join(", ")}`);
    }
    if (input.severity !== undefined && !(SEVERITIES as readonly string[]).includes(input.severity)) {
      throw new SimulatorInputError(400, `severity must be one of ${SEVERITIES.join(", ")}`);
    }
    const base = template
      ? (PLUGIN_SLOTS.find((s) => s.plugin === template && (input.port === undefined || s.port === input.port)) ??
        PLUGIN_SLOTS.find((s) => s.plugin === template)!)
      : this.freeSlot(held);
    const slot: PluginSlot = {
      plugin: input.severity ? { ...base.plugin, severity: input.severity } : base.plugin,
      port: input.port ?? base.port,
      protocol: input.protocol ?? base.protocol,
      service: input.service ?? base.service,
    };
    if (held.findings.some((f) => slotKey(f.plugin.id, f.port.port, f.port.protocol) === slotKey(slot.plugin.id, slot.port, slot.protocol))) {
      throw new SimulatorInputError(409, `asset ${held.asset.uuid} already has plugin ${slot.plugin.id} on ${slot.port}/${slot.protocol}`);
    }
    const state = input.state ?? "OPEN";
    const lastFound = parseTime(input.lastFound, "lastFound", now);
    const firstFound = parseTime(input.firstFound, "firstFound", Math.min(lastFound, now));
    const lastFixed = state === "FIXED" ? parseTime(input.lastFixed, "lastFixed", lastFound) : undefined;
    const scan = scanAt(seededUuid(this.random), lastFixed ?? lastFound);
    const finding = this.addToAsset(held, slot, { state, firstFound, lastFound, lastFixed }, scan);
    if (input.output !== undefined) finding.output = input.output;
    return finding;
  }

  private scanTargets(assets: ScanSpec["assets"]): number[] {
    if (Array.isArray(assets)) {
      return assets.map((uuid) => {
        const index = this.indexOfAsset(uuid);
        if (index === undefined) throw new SimulatorInputError(404, `asset ${uuid} not found`);
        return index;
      });
    }
    const count = Math.min(assets ?? this.assetCount(), this.assetCount());
    return Array.from({ length: count }, (_, i) => i);
  }

  private hold(index: number): HeldAsset {
    let held = this.held.get(index);
    if (!held) {
      const seeded = seededAsset(this.options, this.epoch, index);
      held = { ...seeded, findings: seededFindings(this.options, this.epoch, seeded, index) };
      this.held.set(index, held);
    }
    return held;
  }

  private holdByUuid(uuid: string): HeldAsset {
    const index = this.indexOfAsset(uuid);
    if (index === undefined) throw new SimulatorInputError(404, `asset ${uuid} not found`);
    return this.hold(index);
  }

  private newAsset(fields: NonNullable<NewFinding["asset"]>): HeldAsset {
    if (!fields.fqdn && !fields.ipv4) throw new SimulatorInputError(400, "a new asset needs an fqdn or an ipv4");
    const asset: TenableAsset = {
      uuid: seededUuid(this.random),
      ...(fields.hostname ?? fields.fqdn ? { hostname: fields.hostname ?? fields.fqdn?.split(".")[0] } : {}),
      ...(fields.fqdn ? { fqdn: fields.fqdn } : {}),
      ...(fields.ipv4 ? { ipv4: fields.ipv4 } : {}),
      ...(fields.operating_system ? { operating_system: [...fields.operating_system] } : {}),
      network_id: DEFAULT_NETWORK_ID,
      tracked: true,
    };
    const index = this.assetCount();
    this.extraAssets++;
    const held: HeldAsset = { asset, lastScanAt: this.epoch, findings: [] };
    this.held.set(index, held);
    this.uuidIndex?.set(asset.uuid, index);
    return held;
  }

  private freeSlot(held: HeldAsset): PluginSlot {
    const used = new Set(held.findings.map((f) => slotKey(f.plugin.id, f.port.port, f.port.protocol)));
    const free = PLUGIN_SLOTS.find((s) => !used.has(slotKey(s.plugin.id, s.port, s.protocol)));
    if (free) return free;
    for (let n = 0; ; n++) {
      const slot = generatedSlot(n);
      if (!used.has(slotKey(slot.plugin.id, slot.port, slot.protocol))) return slot;
    }
  }

  private addToAsset(
    held: HeldAsset,
    slot: PluginSlot,
    times: { state: FindingState; firstFound: number; lastFound: number; lastFixed?: number },
    scan: ScanInfo,
  ): TenableFinding {
    const finding = buildFinding(held.asset, slot, times, scan, seededUuid(this.random));
    held.findings.push(finding);
    return finding;
  }
}
