// Vulnerability export jobs: request validation (filters, the 30-day default), duplicate detection, the poll-driven
// QUEUED → PROCESSING → FINISHED progression with out-of-order chunks, and failures on demand.
import { createRandom, type Random } from "../simulator-kit/random";
import {
  DEFAULT_STATES_WITHOUT_SINCE,
  DEFAULT_STATES_WITH_SINCE,
  DEFAULT_WINDOW_DAYS,
  FIRST_CHUNK_ID,
  NUM_ASSETS_DEFAULT,
  NUM_ASSETS_MAX,
  NUM_ASSETS_MIN,
  SEVERITIES,
  SINCE_IGNORED_AT_OR_BELOW,
  STATES,
  type ExportStatus,
  type ExportTiming,
  type FindingState,
  type Severity,
  type TenableFinding,
} from "./conventions";
import { DAY_MS, seededUuid } from "./seed";
import { SimulatorInputError } from "../simulator-kit/http";
import type { TenableData } from "./store";

const TIME_FILTERS = ["first_found", "last_found", "last_fixed"] as const;

/** Failures a test plans for the next export, applied as its chunks are released. */
export interface ExportPlan {
  /** After this many chunks are released (available or failed), the export turns ERROR. */
  errorAfterChunks?: number;
  /** After this many chunks are released, the export turns CANCELLED (as if cancelled in Tenable's UI). */
  cancelAfterChunks?: number;
  /** These chunk ids are released as failed (chunks_failed), never available. */
  failChunks?: number[];
  /** These chunk ids are listed as available but have expired: downloading them answers 404. */
  expireChunks?: number[];
}

/** The request as Tenable echoes it, and what it means once defaults are applied. */
interface ExportCriteria {
  echo: Record<string, unknown>;
  states: ReadonlySet<FindingState>;
  severities: ReadonlySet<Severity> | null;
  pluginIds: ReadonlySet<number> | null;
  /** OPEN/REOPENED by last_found, FIXED by last_fixed (epoch ms). */
  sinceMs: number | null;
  firstFoundMs: number | null;
  lastFoundMs: number | null;
  lastFixedMs: number | null;
}

export interface ExportJob {
  uuid: string;
  accessKey: string;
  created: number;
  numAssets: number;
  duplicateKey: string;
  criteria: ExportCriteria;
  status: ExportStatus;
  polls: number;
  totalChunks: number;
  /** Asset indexes [0, assetCount) are split into chunks of numAssets, in index order. */
  assetCount: number;
  releaseOrder: number[];
  released: number;
  available: number[];
  failed: number[];
  cancelled: number[];
  expired: Set<number>;
  emptyChunks: number;
  plan: ExportPlan;
  reason?: string;
}

function isActive(job: ExportJob): boolean {
  return job.status === "QUEUED" || job.status === "PROCESSING";
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new SimulatorInputError(400, `filters.${field} must be a list of strings`);
  }
  return value as string[];
}

function epochSeconds(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new SimulatorInputError(400, `filters.${field} must be a Unix timestamp in seconds`);
  }
  return value;
}

/** Validates POST /vulns/export and applies Tenable's defaults; `now` starts the 30-day window. */
export function parseExportRequest(body: unknown, now: number): { numAssets: number; duplicateKey: string; criteria: ExportCriteria } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new SimulatorInputError(400, "the request body must be a JSON object");
  }
  const request = body as Record<string, unknown>;
  if (request.num_assets !== undefined && (typeof request.num_assets !== "number" || !Number.isFinite(request.num_assets))) {
    throw new SimulatorInputError(400, "num_assets must be a number");
  }
  const numAssets = Math.min(NUM_ASSETS_MAX, Math.max(NUM_ASSETS_MIN, Math.round((request.num_assets as number | undefined) ?? NUM_ASSETS_DEFAULT)));
  const rawFilters = request.filters ?? {};
  if (typeof rawFilters !== "object" || rawFilters === null || Array.isArray(rawFilters)) {
    throw new SimulatorInputError(400, "filters must be an object");
  }
  const filters = rawFilters as Record<string, unknown>;

  const since = filters.since === undefined ? undefined : epochSeconds(filters.since, "since");
  const timeFilters = Object.fromEntries(
    TIME_FILTERS.filter((f) => filters[f] !== undefined).map((f) => [f, epochSeconds(filters[f], f)]),
  ) as Partial<Record<(typeof TIME_FILTERS)[number], number>>;
  if (since !== undefined && Object.keys(timeFilters).length > 0) {
    throw new SimulatorInputError(400, `filters.since cannot be combined with ${Object.keys(timeFilters).join(", ")}`);
  }
  const hasSince = since !== undefined && since > SINCE_IGNORED_AT_OR_BELOW;
  const hasTimeFilter = hasSince || Object.keys(timeFilters).length > 0;

  const states = (filters.state === undefined ? null : stringList(filters.state, "state").map((s) => s.toUpperCase())) ?? [
    ...(hasSince ? DEFAULT_STATES_WITH_SINCE : DEFAULT_STATES_WITHOUT_SINCE),
  ];
  for (const state of states) {
    if (!(STATES as readonly string[]).includes(state)) {
      throw new SimulatorInputError(400, `filters.state: "${state}" is not one of ${STATES.join(", ")}`);
    }
  }
  const severities = filters.severity === undefined ? null : stringList(filters.severity, "severity").map((s) => s.toLowerCase());
  for (const severity of severities ?? []) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      throw new SimulatorInputError(400, `filters.severity: "${severity}" is not one of ${SEVERITIES.join(", ")}`);
    }
  }
  let pluginIds: number[] | null = null;
  if (filters.plugin_id !== undefined) {
    if (!Array.isArray(filters.plugin_id) || filters.plugin_id.some((v) => !Number.isInteger(v))) {
      throw new SimulatorInputError(400, "filters.plugin_id must be a list of integers");
    }
    pluginIds = filters.plugin_id as number[];
  }

  const criteria: ExportCriteria = {
    echo: filters,
    states: new Set(states as FindingState[]),
    severities: severities ? new Set(severities as Severity[]) : null,
    pluginIds: pluginIds ? new Set(pluginIds) : null,
    // Tenable's trap: with no time filter at all, only the last 30 days.
    sinceMs: hasSince ? since! * 1000 : hasTimeFilter ? null : now - DEFAULT_WINDOW_DAYS * DAY_MS,
    firstFoundMs: timeFilters.first_found === undefined ? null : timeFilters.first_found * 1000,
    lastFoundMs: timeFilters.last_found === undefined ? null : timeFilters.last_found * 1000,
    lastFixedMs: timeFilters.last_fixed === undefined ? null : timeFilters.last_fixed * 1000,
  };
  const sorted = (list: readonly unknown[] | null) => (list ? [...list].map(String).sort() : null);
  const duplicateKey = JSON.stringify({
    numAssets,
    includeUnlicensed: request.include_unlicensed === true,
    since: since ?? null,
    timeFilters,
    states: sorted(filters.state === undefined ? null : states),
    severities: sorted(severities),
    pluginIds: sorted(pluginIds),
  });
  return { numAssets, duplicateKey, criteria };
}

let lastParsed = "";
let lastParsedMs = Number.NaN;

/** Date.parse, remembering the last value: the findings of one asset share their scan times. */
function parseTime(value: string): number {
  if (value !== lastParsed) {
    lastParsed = value;
    lastParsedMs = Date.parse(value);
  }
  return lastParsedMs;
}

export function findingMatches(finding: TenableFinding, criteria: ExportCriteria): boolean {
  if (!criteria.states.has(finding.state)) return false;
  if (criteria.severities && !criteria.severities.has(finding.severity)) return false;
  if (criteria.pluginIds && !criteria.pluginIds.has(finding.plugin.id)) return false;
  if (criteria.sinceMs !== null) {
    const at = finding.state === "FIXED" ? finding.last_fixed : finding.last_found;
    if (at === undefined || parseTime(at) < criteria.sinceMs) return false;
  }
  if (criteria.firstFoundMs !== null && Date.parse(finding.first_found) < criteria.firstFoundMs) return false;
  if (criteria.lastFoundMs !== null && Date.parse(finding.last_found) < criteria.lastFoundMs) return false;
  if (criteria.lastFixedMs !== null && (finding.last_fixed === undefined || Date.parse(finding.last_fixed) < criteria.lastFixedMs)) {
    return false;
  }
  return true;
}

export type CreateOutcome =
  | { kind: "created"; job: ExportJob }
  | { kind: "duplicate"; active: ExportJob }
  | { kind: "too_many"; active: number };

export class ExportJobs {
  private readonly jobs = new Map<string, ExportJob>();
  private nextPlan: ExportPlan | null = null;
  private random: Random;

  constructor(
    private readonly seed: number,
    private readonly timing: ExportTiming,
    private readonly maxActive: number,
  ) {
    this.random = createRandom(seed ^ 0xe4b0);
  }

  clear(): void {
    this.jobs.clear();
    this.nextPlan = null;
    this.random = createRandom(this.seed ^ 0xe4b0);
  }

  planNext(plan: ExportPlan | null): void {
    this.nextPlan = plan;
  }

  create(accessKey: string, body: unknown, data: TenableData, now: number): CreateOutcome {
    const { numAssets, duplicateKey, criteria } = parseExportRequest(body, now);
    const active = [...this.jobs.values()].filter(isActive);
    const duplicate = active.find((job) => job.duplicateKey === duplicateKey);
    if (duplicate) return { kind: "duplicate", active: duplicate };
    if (active.length >= this.maxActive) return { kind: "too_many", active: active.length };
    const assetCount = data.assetCount();
    const totalChunks = Math.ceil(assetCount / numAssets);
    const releaseOrder = Array.from({ length: totalChunks }, (_, i) => i + FIRST_CHUNK_ID);
    for (let i = releaseOrder.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [releaseOrder[i], releaseOrder[j]] = [releaseOrder[j]!, releaseOrder[i]!];
    }
    const job: ExportJob = {
      uuid: seededUuid(this.random),
      accessKey,
      created: now,
      numAssets,
      duplicateKey,
      criteria,
      status: "QUEUED",
      polls: 0,
      totalChunks,
      assetCount,
      releaseOrder,
      released: 0,
      available: [],
      failed: [],
      cancelled: [],
      expired: new Set(),
      emptyChunks: 0,
      plan: this.nextPlan ?? {},
    };
    this.nextPlan = null;
    this.jobs.set(job.uuid, job);
    return { kind: "created", job };
  }

  get(uuid: string): ExportJob | undefined {
    return this.jobs.get(uuid);
  }

  list(): ExportJob[] {
    return [...this.jobs.values()];
  }

  /** One status poll: moves the job on (see ExportTiming in conventions.ts) and returns it. */
  poll(job: ExportJob, data: TenableData): ExportJob {
    job.polls++;
    if (job.status === "QUEUED" && job.polls > this.timing.queuedPolls) job.status = "PROCESSING";
    if (job.status !== "PROCESSING") return job;
    const batch = Math.max(1, Math.ceil(job.totalChunks / Math.max(1, this.timing.processingPolls)));
    const stopAt = Math.min(job.plan.errorAfterChunks ?? Infinity, job.plan.cancelAfterChunks ?? Infinity);
    const until = Math.min(job.totalChunks, job.released + batch, stopAt);
    while (job.released < until) {
      const chunk = job.releaseOrder[job.released++]!;
      if (job.plan.failChunks?.includes(chunk)) {
        job.failed.push(chunk);
        continue;
      }
      job.available.push(chunk);
      if (job.plan.expireChunks?.includes(chunk)) job.expired.add(chunk);
      if (!this.chunkHasFindings(job, chunk, data)) job.emptyChunks++;
    }
    if (job.released >= (job.plan.errorAfterChunks ?? Infinity)) {
      this.fail(job, "Export failed while processing chunks.");
    } else if (job.released >= (job.plan.cancelAfterChunks ?? Infinity)) {
      this.cancel(job);
    } else if (job.released >= job.totalChunks) {
      job.status = "FINISHED";
    }
    return job;
  }

  /** QUEUED or PROCESSING → CANCELLED; chunks not yet released are listed as cancelled. False when already final. */
  cancel(job: ExportJob): boolean {
    if (!isActive(job)) return false;
    job.status = "CANCELLED";
    job.cancelled = job.releaseOrder.slice(job.released);
    return true;
  }

  /** A chunk already available moves to chunks_failed; one not yet released will be released as failed. */
  failChunk(job: ExportJob, chunk: number): void {
    if (job.available.includes(chunk)) {
      job.available = job.available.filter((c) => c !== chunk);
      job.failed.push(chunk);
    } else {
      job.plan = { ...job.plan, failChunks: [...(job.plan.failChunks ?? []), chunk] };
    }
  }

  fail(job: ExportJob, reason: string): boolean {
    if (!isActive(job)) return false;
    job.status = "ERROR";
    job.reason = reason;
    return true;
  }

  private chunkHasFindings(job: ExportJob, chunk: number, data: TenableData): boolean {
    const from = (chunk - FIRST_CHUNK_ID) * job.numAssets;
    const to = Math.min(job.assetCount, from + job.numAssets);
    for (let index = from; index < to; index++) {
      if (data.findingsOf(index).some((finding) => findingMatches(finding, job.criteria))) return true;
    }
    return false;
  }

  /** The findings of one chunk, built from the data as it is now. */
  chunkFindings(job: ExportJob, chunk: number, data: TenableData): TenableFinding[] {
    const out: TenableFinding[] = [];
    const from = (chunk - FIRST_CHUNK_ID) * job.numAssets;
    const to = Math.min(job.assetCount, from + job.numAssets);
    for (let index = from; index < to; index++) {
      for (const finding of data.findingsOf(index)) if (findingMatches(finding, job.criteria)) out.push(finding);
    }
    return out;
  }

  /** Public status shape (see TENABLE_API.md). */
  statusView(job: ExportJob): Record<string, unknown> {
    return {
      uuid: job.uuid,
      status: job.status,
      chunks_available: [...job.available],
      chunks_available_count: job.available.length,
      chunks_failed: [...job.failed],
      chunks_cancelled: [...job.cancelled],
      total_chunks: job.status === "QUEUED" ? 0 : job.totalChunks,
      finished_chunks: job.available.length,
      empty_chunks_count: job.emptyChunks,
      num_assets_per_chunk: job.numAssets,
      created: job.created,
      filters: job.criteria.echo,
      ...(job.reason ? { reason: job.reason } : {}),
    };
  }
}
