// Deterministic seeded assets and findings, generated on demand: asset i and its findings are a pure function of
// (seed, i, epoch), so 5,000 assets / 100,000 findings cost nothing until an export chunk asks for them.
import { createRandom, pick, weighted, type Random } from "../simulator-kit/random";
import { SEVERITIES, type FindingState, type TenableAsset, type TenableFinding, type TenablePlugin } from "./conventions";
import { PLUGIN_SLOTS, generatedSlot, type PluginSlot, type PluginTemplate } from "./plugins";

export interface SeedOptions {
  seed: number;
  assets: number;
  findingsPerAsset: number;
  /** FQDNs the first assets take (the demo passes Salt's hosts, so both vendors' findings meet on one asset). */
  fqdns?: readonly string[];
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = { seed: 42, assets: 25, findingsPerAsset: 8 };

export const DAY_MS = 86_400_000;

/** Every 50th asset is a rebuilt twin of the one before it: a new asset uuid, the same fqdn and ipv4, older scans. */
export const TWIN_EVERY = 50;
/** Every 17th asset is a network device with no host name and no fqdn, known by its ipv4 alone. */
export const IP_ONLY_EVERY = 17;

const ROLES = ["web", "app", "db", "mail", "vpn", "build", "k8s-node", "jump", "files", "dc", "cache", "proxy"];
const DOMAINS = ["corp.acme-payments.com", "dc1.globex-logistics.io", "prod.initech-hr.com", "eu.umbrella-health.net"];
const OPERATING_SYSTEMS = [
  "Linux Kernel 5.15 on Ubuntu 22.04",
  "Linux Kernel 6.1 on Debian 12",
  "Linux Kernel 4.18 on Red Hat Enterprise Linux 8",
  "CentOS Linux 7",
  "Microsoft Windows Server 2019 Standard",
  "Microsoft Windows Server 2022 Datacenter",
];
const STATE_WEIGHTS: readonly (readonly [FindingState, number])[] = [
  ["OPEN", 70],
  ["REOPENED", 8],
  ["FIXED", 22],
];
export const DEFAULT_NETWORK_ID = "00000000-0000-0000-0000-000000000000";

/** A generator for one (seed, a, b) position; positions do not depend on each other, so any can be made alone. */
export function randomAt(seed: number, a: number, b = 0): Random {
  return createRandom((seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0);
}

/** A v4-shaped uuid from a seeded generator. */
export function seededUuid(random: Random): string {
  const word = () => Math.floor(random() * 0x100000000).toString(16).padStart(8, "0");
  const [a, b, c, d] = [word(), word(), word(), word()];
  const variant = "89ab"[Math.floor(random() * 4)];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

export interface SeededAsset {
  asset: TenableAsset;
  /** When the asset was last scanned (ms): its OPEN findings were last found then, its FIXED ones fixed then. */
  lastScanAt: number;
}

function ipv4(index: number): string {
  const n = index + 10;
  return `10.${20 + ((n >> 16) & 0xff)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

/** Four in five assets were scanned in the last 20 days; the rest 35 to 120 days ago (outside the 30-day trap). */
function lastScanDaysAgo(random: Random): number {
  return random() < 0.8 ? random() * 20 : 35 + random() * 85;
}

export function seededAsset(options: SeedOptions, epoch: number, index: number): SeededAsset {
  const isTwin = index % TWIN_EVERY === TWIN_EVERY - 1 && index > 0;
  const nameIndex = isTwin ? index - 1 : index;
  const random = randomAt(options.seed, index);
  const naming = randomAt(options.seed, nameIndex, 1);
  const uuid = seededUuid(random);
  const role = pick(naming, ROLES);
  const given = options.fqdns?.[nameIndex];
  const hostname = given ? (given.split(".")[0] ?? given) : `${role}-${String(nameIndex + 1).padStart(4, "0")}`;
  const fqdn = given ?? `${hostname}.${pick(naming, DOMAINS)}`;
  const ipOnly = !given && nameIndex % IP_ONLY_EVERY === IP_ONLY_EVERY - 1;
  const asset: TenableAsset = {
    uuid,
    ...(ipOnly ? {} : { hostname, fqdn }),
    ipv4: ipv4(nameIndex),
    operating_system: [pick(naming, OPERATING_SYSTEMS)],
    network_id: DEFAULT_NETWORK_ID,
    tracked: true,
  };
  let daysAgo = lastScanDaysAgo(naming);
  // The twin is the asset's earlier life: same names, scanned before it was rebuilt.
  if (isTwin) daysAgo += 10 + random() * 30;
  // Findings are seen half an hour into that day's scan (seededScan), never after the epoch.
  let lastScanAt = scanStart(epoch - Math.floor(daysAgo * DAY_MS)) + 30 * 60_000;
  if (lastScanAt > epoch) lastScanAt -= DAY_MS;
  return { asset, lastScanAt };
}

/** The slots (plugin on a port) asset `index` has findings in: a seeded choice without repeats. */
export function seededSlots(seed: number, index: number, count: number): PluginSlot[] {
  const random = randomAt(seed, index, 2);
  const order = PLUGIN_SLOTS.map((_, i) => i);
  const take = Math.min(count, order.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (order.length - i));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const slots = order.slice(0, take).map((i) => PLUGIN_SLOTS[i] as PluginSlot);
  for (let n = 0; slots.length < count; n++) slots.push(generatedSlot(n));
  return slots;
}

export type ScanInfo = TenableFinding["scan"];

/** Seeded scans run daily at 02:00 UTC. */
function scanStart(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS + 2 * 3_600_000;
}

/** A scan that started at `startedAt` and took 45 minutes. */
export function scanAt(uuid: string, startedAt: number): ScanInfo {
  return {
    uuid,
    started_at: new Date(startedAt).toISOString(),
    completed_at: new Date(startedAt + 45 * 60_000).toISOString(),
  };
}

const seededScans = new Map<string, ScanInfo>();

/** Seeded scans are shared by the assets scanned on the same day: one scan uuid per (seed, day). */
export function seededScan(seed: number, at: number): ScanInfo {
  const day = Math.floor(at / DAY_MS);
  const key = `${seed}/${day}`;
  let scan = seededScans.get(key);
  if (!scan) {
    if (seededScans.size > 10_000) seededScans.clear();
    scan = scanAt(seededUuid(randomAt(seed, day, 3)), scanStart(at));
    seededScans.set(key, scan);
  }
  return { ...scan };
}

let lastIsoMs = Number.NaN;
let lastIso = "";

/** toISOString, remembering the last value: the findings of one asset share their scan times. */
function iso(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIsoMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

const SEVERITY_IDS: Record<string, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/** Plugin output differs on every scan (it names the scan time), which is why it is never part of an identity. */
export function pluginOutput(finding: Pick<TenableFinding, "asset" | "plugin" | "port" | "scan">): string {
  const target = finding.asset.fqdn ?? finding.asset.ipv4 ?? finding.asset.uuid;
  const { port, protocol } = finding.port;
  const where = port === 0 ? target : `${target}:${port}/${protocol.toLowerCase()}`;
  return `\n${finding.plugin.name} on ${where}\nObserved during the scan started ${finding.scan.started_at}.\n`;
}

export interface FindingTimes {
  state: FindingState;
  firstFound: number;
  lastFound: number;
  lastFixed?: number;
}

const pluginViews = new WeakMap<PluginTemplate, TenablePlugin>();

/** A plugin as findings carry it; built once per template and shared (nothing changes a finding's plugin). */
function pluginView(plugin: PluginTemplate): TenablePlugin {
  let view = pluginViews.get(plugin);
  if (!view) {
    view = {
      id: plugin.id,
      name: plugin.name,
      family: plugin.family,
      ...(plugin.cve ? { cve: [...plugin.cve] } : {}),
      solution: plugin.solution,
      synopsis: plugin.synopsis,
      description: plugin.description,
      risk_factor: plugin.severity === "info" ? "None" : plugin.severity[0]!.toUpperCase() + plugin.severity.slice(1),
      ...(plugin.cvss3 !== undefined ? { cvss3_base_score: plugin.cvss3 } : {}),
      ...(plugin.vpr !== undefined ? { vpr: { score: plugin.vpr, updated: "2026-10-01T00:00:00.000Z" } } : {}),
      has_patch: plugin.severity !== "info",
      ...(plugin.exploit ? { exploit_available: true } : {}),
    };
    pluginViews.set(plugin, view);
  }
  return view;
}

/** The asset object is shared by its findings: scans change findings, never the asset. */
export function buildFinding(
  asset: TenableAsset,
  slot: PluginSlot,
  times: FindingTimes,
  scan: ScanInfo,
  findingId: string,
): TenableFinding {
  const { plugin } = slot;
  const severityId = SEVERITY_IDS[plugin.severity] ?? 0;
  const finding: TenableFinding = {
    asset,
    plugin: pluginView(plugin),
    port: { port: slot.port, protocol: slot.protocol, service: slot.service },
    scan,
    severity: plugin.severity,
    severity_id: severityId,
    severity_default_id: severityId,
    severity_modification_type: "NONE",
    state: times.state,
    first_found: new Date(times.firstFound).toISOString(),
    last_found: iso(times.lastFound),
    indexed: new Date((times.lastFixed ?? times.lastFound) + 3_600_000).toISOString(),
    finding_id: findingId,
  };
  if (times.lastFixed !== undefined) finding.last_fixed = iso(times.lastFixed);
  finding.output = pluginOutput(finding);
  return finding;
}

/** The seeded findings of one asset, in slot order. */
export function seededFindings(options: SeedOptions, epoch: number, seeded: SeededAsset, index: number): TenableFinding[] {
  const slots = seededSlots(options.seed, index, options.findingsPerAsset);
  return slots.map((slot, j) => {
    const random = randomAt(options.seed, index, 100 + j);
    const state = weighted(random, STATE_WEIGHTS);
    const firstFound = seeded.lastScanAt - Math.floor((1 + random() * 200) * DAY_MS);
    const times: FindingTimes =
      state === "FIXED"
        ? {
            state,
            firstFound,
            lastFound: Math.max(firstFound, seeded.lastScanAt - Math.floor((1 + random() * 29) * DAY_MS)),
            lastFixed: seeded.lastScanAt,
          }
        : { state, firstFound, lastFound: seeded.lastScanAt };
    const scan = seededScan(options.seed, times.lastFixed ?? times.lastFound);
    return buildFinding(seeded.asset, slot, times, scan, seededUuid(random));
  });
}
