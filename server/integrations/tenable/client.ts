// Typed HTTP client for Tenable.io: X-ApiKeys auth, a key check, the vulnerability export flow (start or resume,
// poll with backoff, stream chunks as they become available), cancel, and asset import in batches under 5 MB.
import type { z } from "zod";
import {
  POSTURA_USER_AGENT,
  classifyRetryFailure,
  createExchange,
  isLoopbackUrl,
  normaliseBaseUrl,
  type HttpAnswer,
  type RetryOptions,
} from "../http/exchange";
import { describeSchemaError, parseJsonAs } from "../http/json";
import {
  ASSET_IMPORT_MAX_BYTES,
  ASSET_IMPORT_SOURCE,
  NUM_ASSETS_DEFAULT,
  NUM_ASSETS_MAX,
  NUM_ASSETS_MIN,
  SINCE_ROUNDING_SECONDS,
  TENABLE_DEFAULT_BASE_URL,
  TENABLE_PATHS,
  TENABLE_STATES,
  UNLIMITED_SINCE_SECONDS,
} from "./conventions";
import { TenableError, tenableErrors, type MissingChunk } from "./errors";
import {
  assetImportStartedSchema,
  exportCancelSchema,
  exportConflictSchema,
  exportJobsSchema,
  exportStartedSchema,
  exportStatusSchema,
  sessionSchema,
  tenableFindingSchema,
  type ExportStatus,
  type TenableFinding,
  type TenableSeverity,
  type TenableState,
} from "./schemas";

export interface TenablePollOptions {
  /** First wait between status polls, and the wait again whenever new chunks appeared (default 1 s). */
  initialDelayMs?: number;
  /** Waits double while nothing new appears, up to this (default 30 s). */
  maxDelayMs?: number;
  /** Longest total wait between polls for an export to finish before Postura cancels it (default 2 h). */
  maxTotalMs?: number;
}

export interface TenableClientOptions {
  /** Default https://cloud.tenable.com. */
  baseUrl?: string;
  /** Trimmed; never logged and never placed in an error message. */
  accessKey: string;
  secretKey: string;
  userAgent?: string;
  /** Per attempt, covering the whole response body; a chunk can be tens of MB (default 60 s). */
  timeoutMs?: number;
  /** Default 6 attempts within 2 minutes of waiting (Retry-After honoured). */
  retry?: RetryOptions;
  poll?: TenablePollOptions;
  /** Reads of one chunk whose body is cut short or not JSON before it is reported as failed (default 3). */
  chunkAttempts?: number;
  fetchImpl?: typeof fetch;
}

/** Which findings an export asks for. There is always a time window: see UNLIMITED_SINCE_SECONDS. */
export type ExportWindow = { days: number } | { since: Date } | "unlimited";

export interface VulnExportRequest {
  window: ExportWindow;
  /** Default OPEN, REOPENED and FIXED: FIXED is how Tenable says a finding is gone (never close by absence). */
  states?: readonly TenableState[];
  severities?: readonly TenableSeverity[];
  /** Assets per chunk, 50..5000 (default 500). */
  numAssets?: number;
  /** The clock, for the days window (default now). */
  now?: Date;
}

/** A finding that did not match the schema: skipped and named, the rest of its chunk is kept. */
export interface SkippedFinding {
  chunkId: number;
  index: number;
  findingId?: string;
  field: string;
  message: string;
}

export interface ExportedChunk {
  exportUuid: string;
  chunkId: number;
  findings: TenableFinding[];
  skipped: SkippedFinding[];
}

export interface ExportProgress {
  exportUuid: string;
  status: ExportStatus["status"];
  /** Chunks read so far. */
  chunksDone: number;
  /** Unknown while QUEUED, and in old recordings. */
  chunksTotal: number | undefined;
  findings: number;
  chunksMissing: MissingChunk[];
  /** True when this run joined an export already running (409). */
  resumed: boolean;
}

export interface VulnExport extends AsyncIterable<ExportedChunk> {
  /** The export's uuid once it has been started or resumed. */
  readonly exportUuid: string | undefined;
  /** Cancels the export in Tenable; iteration ends after the chunk in hand, without an error. */
  cancel(): Promise<void>;
}

export interface AssetToImport {
  fqdn?: string[];
  ipv4?: string[];
  netbios_name?: string;
  mac_address?: string[];
  hostname?: string[];
  operating_system?: string[];
}

export interface AssetImportResult {
  jobs: { jobUuid: string; assets: number; bytes: number }[];
  /** Assets not sent, with why (no identifier, or too large alone). */
  skipped: { index: number; reason: string }[];
}

export interface TenableClient {
  readonly baseUrl: string;
  /** A cheap authenticated call, then the export permission. Throws TenableError (invalid_keys, missing_permission, network_unreachable, wrong_base_url, ...). */
  checkKeys(): Promise<{ username: string | undefined; permissions: number | undefined }>;
  /** Starts an export, or resumes the one Tenable says is already running for the same request (409). */
  startVulnExport(request: VulnExportRequest): Promise<{ exportUuid: string; resumed: boolean }>;
  exportStatus(exportUuid: string): Promise<ExportStatus>;
  /** True when cancelled now; false when the export had already ended. */
  cancelExport(exportUuid: string): Promise<boolean>;
  downloadChunk(exportUuid: string, chunkId: number): Promise<ExportedChunk>;
  /** Streams the export chunk by chunk as chunks become available (see VulnExport). */
  exportVulns(request: VulnExportRequest, options?: { onProgress?: (progress: ExportProgress) => void }): VulnExport;
  importAssets(assets: readonly AssetToImport[], source?: string): Promise<AssetImportResult>;
}

interface RequestSpec {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  /** A body already serialised (asset import batches are measured in bytes before sending). */
  rawBody?: string;
}

/** Tenable's limits are per key per minute: a retry-after can ask for most of a minute, so wait up to two. */
const TENABLE_RETRY: RetryOptions = { maxAttempts: 6, maxTotalWaitMs: 120_000 };

const DEFAULT_POLL: Required<TenablePollOptions> = { initialDelayMs: 1000, maxDelayMs: 30_000, maxTotalMs: 2 * 3_600_000 };

/** The `since` an export sends (epoch seconds): never absent, never 0. */
export function exportSince(window: ExportWindow, now: Date = new Date()): number {
  if (window === "unlimited") return UNLIMITED_SINCE_SECONDS;
  if ("since" in window) return Math.max(UNLIMITED_SINCE_SECONDS, Math.floor(window.since.getTime() / 1000));
  if (!Number.isInteger(window.days) || window.days < 1) throw new Error("days must be a positive whole number");
  const since = Math.floor(now.getTime() / 1000) - window.days * 86_400;
  return Math.floor(since / SINCE_ROUNDING_SECONDS) * SINCE_ROUNDING_SECONDS;
}

/** Keys go into a header of `name=value;` pairs: whitespace or ";" inside would change its meaning. */
function checkKey(value: string): string {
  const key = value.trim();
  if (key === "" || /[\s;=]/.test(key) || /[^\x21-\x7e]/.test(key)) throw tenableErrors.invalidKeys();
  return key;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createTenableClient(options: TenableClientOptions): TenableClient {
  const accessKey = checkKey(options.accessKey);
  const secretKey = checkKey(options.secretKey);
  const baseUrl = normaliseBaseUrl(options.baseUrl ?? TENABLE_DEFAULT_BASE_URL, "The Tenable base URL");
  // The keys travel in a header on every call: never over plain http to another machine.
  if (baseUrl.startsWith("http:") && !isLoopbackUrl(baseUrl)) {
    throw new Error("The Tenable base URL must use https (plain http is allowed only for a loopback address).");
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const poll = { ...DEFAULT_POLL, ...options.poll };
  const chunkAttempts = Math.max(1, options.chunkAttempts ?? 3);
  const http = createExchange({ timeoutMs, retry: { ...TENABLE_RETRY, ...options.retry }, fetchImpl: options.fetchImpl });
  const headers = {
    accept: "application/json",
    "user-agent": options.userAgent ?? POSTURA_USER_AGENT,
    "x-apikeys": `accessKey=${accessKey}; secretKey=${secretKey};`,
  };

  async function exchange(spec: RequestSpec): Promise<HttpAnswer> {
    const body = spec.rawBody ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
    try {
      return await http.send({
        method: spec.method,
        url: `${baseUrl}${spec.path}`,
        headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
        body,
      });
    } catch (error) {
      throw classifyRetryFailure(error, tenableErrors, { timeoutMs, baseUrl });
    }
  }

  function parse<S extends z.ZodType>(answer: HttpAnswer, schema: S): z.output<S> {
    return parseJsonAs(answer.text, schema, (detail, field) =>
      tenableErrors.unexpectedResponse(detail, field === undefined ? { status: answer.status } : { status: answer.status, field }),
    );
  }

  /** 401 and 403 mean the same on every call; anything else unexpected is named with the call. */
  function failure(answer: HttpAnswer, spec: RequestSpec, permission: "export" | "asset_import" = "export"): TenableError {
    if (answer.status === 401) return tenableErrors.invalidKeys(401);
    if (answer.status === 403) return tenableErrors.missingPermission(permission);
    return tenableErrors.unexpectedResponse(`HTTP ${answer.status} for ${spec.method} ${spec.path.replace(/[0-9a-f-]{36}/, "{uuid}")}`, {
      status: answer.status,
    });
  }

  async function checkKeys() {
    const spec: RequestSpec = { method: "GET", path: TENABLE_PATHS.session };
    const answer = await exchange(spec);
    if (answer.status === 401) throw tenableErrors.invalidKeys(401);
    if (answer.status === 404 || answer.status === 405) throw tenableErrors.wrongBaseUrl(baseUrl, `HTTP ${answer.status} for ${spec.path}`);
    if (answer.status < 200 || answer.status >= 300) throw failure(answer, spec);
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      throw tenableErrors.wrongBaseUrl(baseUrl, "the answer is not JSON");
    }
    const session = sessionSchema.safeParse(json);
    if (!session.success) throw tenableErrors.wrongBaseUrl(baseUrl, describeSchemaError(session.error).message);
    if (session.data.username === undefined && session.data.permissions === undefined) {
      throw tenableErrors.wrongBaseUrl(baseUrl, "the answer is not a user session");
    }
    const jobsSpec: RequestSpec = { method: "GET", path: TENABLE_PATHS.vulnsExportJobs };
    const jobs = await exchange(jobsSpec);
    if (jobs.status === 404) throw tenableErrors.wrongBaseUrl(baseUrl, `HTTP 404 for ${jobsSpec.path}`);
    if (jobs.status < 200 || jobs.status >= 300) throw failure(jobs, jobsSpec);
    parse(jobs, exportJobsSchema);
    return { username: session.data.username, permissions: session.data.permissions };
  }

  async function startVulnExport(request: VulnExportRequest) {
    const numAssets = request.numAssets ?? NUM_ASSETS_DEFAULT;
    if (!Number.isInteger(numAssets) || numAssets < NUM_ASSETS_MIN || numAssets > NUM_ASSETS_MAX) {
      throw new Error(`numAssets must be a whole number from ${NUM_ASSETS_MIN} to ${NUM_ASSETS_MAX}`);
    }
    const spec: RequestSpec = {
      method: "POST",
      path: TENABLE_PATHS.vulnsExport,
      body: {
        num_assets: numAssets,
        include_unlicensed: true,
        filters: {
          since: exportSince(request.window, request.now),
          state: [...(request.states ?? TENABLE_STATES)],
          ...(request.severities ? { severity: [...request.severities] } : {}),
        },
      },
    };
    const answer = await exchange(spec);
    if (answer.status === 409) {
      // Tenable refuses a duplicate of a running export and names it: join that one (pyTenable does the same).
      return { exportUuid: parse(answer, exportConflictSchema).active_job_id, resumed: true };
    }
    if (answer.status < 200 || answer.status >= 300) throw failure(answer, spec);
    return { exportUuid: parse(answer, exportStartedSchema).export_uuid, resumed: false };
  }

  async function exportStatus(exportUuid: string): Promise<ExportStatus> {
    const spec: RequestSpec = { method: "GET", path: TENABLE_PATHS.exportStatus(exportUuid) };
    const answer = await exchange(spec);
    if (answer.status === 404) throw tenableErrors.notFound(`export ${exportUuid}`);
    if (answer.status < 200 || answer.status >= 300) throw failure(answer, spec);
    return parse(answer, exportStatusSchema);
  }

  async function cancelExport(exportUuid: string): Promise<boolean> {
    const spec: RequestSpec = { method: "POST", path: TENABLE_PATHS.exportCancel(exportUuid) };
    const answer = await exchange(spec);
    if (answer.status === 400) return false; // already FINISHED, ERROR or CANCELLED
    if (answer.status === 404) throw tenableErrors.notFound(`export ${exportUuid}`);
    if (answer.status < 200 || answer.status >= 300) throw failure(answer, spec);
    parse(answer, exportCancelSchema);
    return true;
  }

  /**
   * One chunk. A chunk Postura cannot have throws TenableError export_incomplete naming it in chunksMissing: 404 as
   * expired; a body cut short, not a JSON array, or "not ready", after chunkAttempts reads, as failed. Each finding is
   * checked alone: a bad one is skipped and named.
   */
  async function downloadChunk(exportUuid: string, chunkId: number): Promise<ExportedChunk> {
    const spec: RequestSpec = { method: "GET", path: TENABLE_PATHS.exportChunk(exportUuid, chunkId) };
    const lost = (reason: MissingChunk["reason"], what: string) =>
      new TenableError("export_incomplete", `Chunk ${chunkId} of export ${exportUuid} ${what}.`, {
        exportUuid,
        chunksMissing: [{ chunkId, reason }],
      });
    let rows: unknown[] | undefined;
    for (let attempt = 1; rows === undefined; attempt++) {
      const answer = await exchange(spec);
      if (answer.status === 404) throw lost("expired", "has expired or does not exist");
      if (answer.status === 400) {
        // "Not ready" for a chunk the status listed: wait a poll interval and ask again, then give it up as failed.
        if (attempt >= chunkAttempts) throw lost("failed", "stayed not ready");
        await sleep(poll.initialDelayMs);
        continue;
      }
      if (answer.status < 200 || answer.status >= 300) throw failure(answer, spec);
      try {
        const json: unknown = JSON.parse(answer.text);
        if (!Array.isArray(json)) throw new Error("not an array");
        rows = json;
      } catch {
        if (attempt >= chunkAttempts) throw lost("failed", "could not be read");
      }
    }
    const findings: TenableFinding[] = [];
    const skipped: SkippedFinding[] = [];
    rows.forEach((row, index) => {
      const parsed = tenableFindingSchema.safeParse(row);
      if (parsed.success) {
        findings.push(parsed.data);
        return;
      }
      const { field, message } = describeSchemaError(parsed.error);
      const findingId = typeof row === "object" && row !== null ? (row as { finding_id?: unknown }).finding_id : undefined;
      skipped.push({ chunkId, index, field, message, ...(typeof findingId === "string" ? { findingId } : {}) });
    });
    return { exportUuid, chunkId, findings, skipped };
  }

  function exportVulns(request: VulnExportRequest, runOptions: { onProgress?: (progress: ExportProgress) => void } = {}): VulnExport {
    let exportUuid: string | undefined;
    let cancelRequested = false;
    let finished = false;

    async function* run(): AsyncGenerator<ExportedChunk> {
      const started = await startVulnExport(request);
      const uuid = started.exportUuid;
      exportUuid = uuid;
      const done = new Set<number>();
      const missing = new Map<number, MissingChunk["reason"]>();
      let findings = 0;
      let delay = poll.initialDelayMs;
      let waited = 0;
      const missingList = () => [...missing].map(([chunkId, reason]) => ({ chunkId, reason }));
      const report = (status: ExportStatus) =>
        runOptions.onProgress?.({
          exportUuid: uuid,
          status: status.status,
          chunksDone: done.size,
          chunksTotal: status.status === "QUEUED" ? undefined : status.total_chunks,
          findings,
          chunksMissing: missingList(),
          resumed: started.resumed,
        });
      try {
        for (;;) {
          if (cancelRequested) return;
          const status = await exportStatus(uuid);
          for (const chunkId of status.chunks_failed) if (!done.has(chunkId)) missing.set(chunkId, "failed");
          report(status);
          const ready = status.chunks_available.filter((id) => !done.has(id) && !missing.has(id));
          for (const chunkId of ready) {
            if (cancelRequested) return;
            let chunk: ExportedChunk;
            try {
              chunk = await downloadChunk(uuid, chunkId);
            } catch (error) {
              const lost = error instanceof TenableError && error.code === "export_incomplete" ? error.details.chunksMissing?.[0] : undefined;
              if (!lost) throw error;
              missing.set(lost.chunkId, lost.reason);
              continue;
            }
            done.add(chunkId);
            findings += chunk.findings.length;
            yield chunk;
            report(status);
          }
          if (status.status === "FINISHED") {
            finished = true;
            if (missing.size > 0) throw tenableErrors.exportIncomplete(uuid, done.size, missingList());
            return;
          }
          if (status.status === "ERROR") {
            finished = true;
            throw tenableErrors.exportFailed(uuid, status.reason, done.size, missingList());
          }
          if (status.status === "CANCELLED") {
            // Final: finished chunks were read above; polling a cancelled export again would loop forever.
            finished = true;
            if (cancelRequested) return;
            for (const chunkId of status.chunks_cancelled) missing.set(chunkId, "cancelled");
            throw tenableErrors.exportCancelled(uuid, done.size, missingList());
          }
          delay = ready.length > 0 ? poll.initialDelayMs : Math.min(delay * 2, poll.maxDelayMs);
          if (waited + delay > poll.maxTotalMs) {
            await cancelExport(uuid).catch(() => false);
            finished = true;
            throw tenableErrors.exportTimeout(uuid, waited, done.size);
          }
          waited += delay;
          await sleep(delay);
        }
      } finally {
        // A consumer that stops early (break, or its own error) should not leave the export running in Tenable.
        if (!finished && !cancelRequested) await cancelExport(uuid).catch(() => false);
      }
    }

    return {
      get exportUuid() {
        return exportUuid;
      },
      async cancel() {
        cancelRequested = true;
        if (exportUuid !== undefined && !finished) await cancelExport(exportUuid);
      },
      [Symbol.asyncIterator]: () => run(),
    };
  }

  async function importAssets(assets: readonly AssetToImport[], source: string = ASSET_IMPORT_SOURCE): Promise<AssetImportResult> {
    const envelopeBytes = Buffer.byteLength(JSON.stringify({ assets: [], source }));
    const jobs: AssetImportResult["jobs"] = [];
    const skipped: AssetImportResult["skipped"] = [];
    let batch: string[] = [];
    let batchBytes = envelopeBytes;

    const send = async () => {
      if (batch.length === 0) return;
      const body = `{"assets":[${batch.join(",")}],"source":${JSON.stringify(source)}}`;
      const spec: RequestSpec = { method: "POST", path: TENABLE_PATHS.importAssets, rawBody: body };
      const answer = await exchange(spec);
      if (answer.status < 200 || answer.status >= 300) throw failure(answer, spec, "asset_import");
      jobs.push({ jobUuid: parse(answer, assetImportStartedSchema).asset_import_job_uuid, assets: batch.length, bytes: Buffer.byteLength(body) });
      batch = [];
      batchBytes = envelopeBytes;
    };

    for (const [index, asset] of assets.entries()) {
      const identified = [asset.fqdn, asset.ipv4, asset.mac_address].some((list) => (list?.length ?? 0) > 0) || !!asset.netbios_name;
      if (!identified) {
        skipped.push({ index, reason: "no fqdn, ipv4, netbios name or MAC address" });
        continue;
      }
      const json = JSON.stringify(asset);
      const bytes = Buffer.byteLength(json);
      if (envelopeBytes + bytes > ASSET_IMPORT_MAX_BYTES) {
        skipped.push({ index, reason: tenableErrors.assetTooLarge(bytes).message });
        continue;
      }
      // +1 for the comma that joins it to the batch.
      if (batchBytes + bytes + (batch.length > 0 ? 1 : 0) > ASSET_IMPORT_MAX_BYTES) await send();
      batchBytes += bytes + (batch.length > 0 ? 1 : 0);
      batch.push(json);
    }
    await send();
    return { jobs, skipped };
  }

  return { baseUrl, checkKeys, startVulnExport, exportStatus, cancelExport, downloadChunk, exportVulns, importAssets };
}
