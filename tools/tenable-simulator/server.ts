// The simulator's HTTP server: Tenable.io's public API at the root (like https://cloud.tenable.com) and a loopback
// control API under /__control.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { FaultInjector, applyFaults, faultControl, type ActiveFault, type FaultSpec } from "../simulator-kit/faults";
import { CappedLog, HttpError, SimulatorInputError, readJsonBody, sendBody, sendJson, serve } from "../simulator-kit/http";
import { createRandom } from "../simulator-kit/random";
import {
  API_KEYS_HEADER,
  API_KEYS_PATTERN,
  ASSET_IMPORT_IDENTIFIERS,
  ASSET_IMPORT_MAX_BYTES,
  ASSET_IMPORT_MIN_PERMISSION,
  CHUNK_CONTENT_TYPE,
  CONTROL_PREFIX,
  DEFAULT_EXPORT_TIMING,
  DEFAULT_RETRY_AFTER_SECONDS,
  DUPLICATE_EXPORT_REASON,
  EXPORT_MIN_PERMISSION,
  EXPORT_PATH,
  FIRST_CHUNK_ID,
  MAX_ACTIVE_EXPORTS,
  PATHS,
  RATE_LIMITED_HTML,
  UNAUTHORIZED_BODY,
  errorBody,
  type ExportTiming,
  type TenableFinding,
} from "./conventions";
import { ExportJobs, type ExportJob, type ExportPlan } from "./exports";
import { TENABLE_KEYS, TenableKeyRing, type TenableKey } from "./keys";
import { DEFAULT_SEED_OPTIONS, seededUuid, type SeedOptions } from "./seed";
import { TenableData, type NewFinding, type ScanResult, type ScanSpec } from "./store";

export interface TenableSimulatorOptions extends Partial<SeedOptions> {
  /** 0 (default) picks a random free port. */
  port?: number;
  host?: string;
  /** The simulator's clock (ms); seeded dates count back from its value at reset. */
  now?: () => number;
  exportTiming?: Partial<ExportTiming>;
  maxActiveExports?: number;
}

export interface ApiRequestRecord {
  at: string;
  method: string;
  path: string;
  /** The access key of the caller (never the secret), or null when unauthenticated. */
  accessKey: string | null;
  statusCode: number | "hang" | "reset";
}

export interface AssetImportRecord {
  jobUuid: string;
  at: string;
  accessKey: string;
  source: string;
  assets: Record<string, unknown>[];
  bytes: number;
}

export interface TenableSimulator {
  /** Origin, e.g. http://127.0.0.1:4020; Tenable's API is served at the root, so this is also the base URL. */
  url: string;
  baseUrl: string;
  keys: typeof TENABLE_KEYS;
  data: TenableData;
  close(): Promise<void>;
  reset(): void;
  addKey(key: TenableKey): void;
  runScan(spec?: ScanSpec): ScanResult;
  addFinding(input: NewFinding): TenableFinding;
  /** Failures for the next export created (see ExportPlan). */
  planNextExport(plan: ExportPlan | null): void;
  exportJobs(): ExportJob[];
  exportJob(uuid: string): ExportJob | undefined;
  failExport(uuid: string, reason?: string): boolean;
  cancelExport(uuid: string): boolean;
  expireChunk(uuid: string, chunk: number): void;
  failChunk(uuid: string, chunk: number): void;
  assetImports(): AssetImportRecord[];
  injectFault(spec: FaultSpec): ActiveFault;
  clearFaults(): void;
  faults(): ActiveFault[];
  requestLog(): ApiRequestRecord[];
}

const MAX_BODY_BYTES = 1_000_000;
const REQUEST_LOG_CAP = 10_000;

/** Tenable's error shape, `{ statusCode, error, message }`, with the standard reason phrase as `error`. */
const tenableErrorBody = (statusCode: number, message: string) => errorBody(statusCode, STATUS_CODES[statusCode] ?? "Error", message);
const tenableError = (statusCode: number, message: string) => new HttpError(statusCode, tenableErrorBody(statusCode, message));

/** Tenable answers 429 with an HTML page and a retry-after header (seconds). */
function sendRateLimited(res: ServerResponse, retryAfter = String(DEFAULT_RETRY_AFTER_SECONDS)): void {
  sendBody(res, 429, "text/html; charset=utf-8", RATE_LIMITED_HTML, { "retry-after": retryAfter });
}

/** A stable user uuid per username (FNV-1a of the name seeds it). */
function userUuid(username: string): string {
  let hash = 0x811c9dc5;
  for (const char of username) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return seededUuid(createRandom(hash));
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return readJsonBody(req, {
    maxBytes,
    tooLarge: () => tenableError(413, `The request body is larger than ${maxBytes} bytes.`),
    notJson: () => tenableError(400, "The request body is not valid JSON."),
  });
}

/** Checks one asset of an import; returns why it is refused, or null. */
function assetImportProblem(asset: unknown): string | null {
  if (typeof asset !== "object" || asset === null || Array.isArray(asset)) return "is not an object";
  const fields = asset as Record<string, unknown>;
  for (const list of ["fqdn", "ipv4", "ipv6", "mac_address"]) {
    const value = fields[list];
    if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== "string"))) {
      return `${list} must be a list of strings`;
    }
  }
  if (fields.netbios_name !== undefined && typeof fields.netbios_name !== "string") return "netbios_name must be a string";
  const identified = ASSET_IMPORT_IDENTIFIERS.some((name) => {
    const value = fields[name];
    return Array.isArray(value) ? value.length > 0 : typeof value === "string" && value !== "";
  });
  return identified ? null : `needs at least one of ${ASSET_IMPORT_IDENTIFIERS.join(", ")}`;
}

export async function startTenableSimulator(options: TenableSimulatorOptions = {}): Promise<TenableSimulator> {
  const seedOptions: SeedOptions = {
    seed: options.seed ?? DEFAULT_SEED_OPTIONS.seed,
    assets: options.assets ?? DEFAULT_SEED_OPTIONS.assets,
    findingsPerAsset: options.findingsPerAsset ?? DEFAULT_SEED_OPTIONS.findingsPerAsset,
    fqdns: options.fqdns,
  };
  const now = options.now ?? Date.now;
  const timing: ExportTiming = { ...DEFAULT_EXPORT_TIMING, ...options.exportTiming };
  const exports = new ExportJobs(seedOptions.seed, timing, options.maxActiveExports ?? MAX_ACTIVE_EXPORTS);
  const faults = new FaultInjector(seedOptions.seed);
  const requests = new CappedLog<ApiRequestRecord>(REQUEST_LOG_CAP);
  const imports: AssetImportRecord[] = [];
  let data = new TenableData(seedOptions, now());
  let keys = new TenableKeyRing();
  let random = createRandom(seedOptions.seed ^ 0x1a55);

  const reset = (): void => {
    data = new TenableData(seedOptions, now());
    keys = new TenableKeyRing();
    exports.clear();
    faults.clear();
    requests.clear();
    imports.length = 0;
    random = createRandom(seedOptions.seed ^ 0x1a55);
  };

  /** 401 with Tenable's exact body for a missing, malformed or unknown X-ApiKeys header. */
  function authenticate(req: IncomingMessage, record: ApiRequestRecord): TenableKey {
    const header = req.headers[API_KEYS_HEADER];
    const match = typeof header === "string" ? API_KEYS_PATTERN.exec(header) : null;
    const key = match ? keys.findPair(match[1]!, match[2]!) : undefined;
    if (!key) throw new HttpError(401, UNAUTHORIZED_BODY);
    record.accessKey = key.accessKey;
    return key;
  }

  function requirePermission(key: TenableKey, minimum: number, what: string): void {
    if (key.permissions < minimum) throw tenableError(403, `You do not have permission to ${what}.`);
  }

  function exportOf(uuid: string): ExportJob {
    const job = exports.get(uuid);
    if (!job) throw tenableError(404, `Export ${uuid} not found.`);
    return job;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, apiPath: string): Promise<void> {
    const method = req.method ?? "GET";
    const record = requests.push({ at: new Date().toISOString(), method, path: apiPath, accessKey: null, statusCode: 200 });
    const faulted = await applyFaults(faults, req, res, apiPath, (statusCode, retryAfter) => {
      if (statusCode === 429) return sendRateLimited(res, retryAfter);
      sendJson(res, statusCode, tenableErrorBody(statusCode, `Injected ${statusCode}`), retryAfter ? { "retry-after": retryAfter } : {});
    });
    if (faulted !== null) {
      record.statusCode = faulted;
      return;
    }
    try {
      await routeApi(req, res, method, apiPath, record);
    } catch (error) {
      record.statusCode = error instanceof HttpError || error instanceof SimulatorInputError ? error.statusCode : 500;
      throw error;
    }
  }

  async function routeApi(req: IncomingMessage, res: ServerResponse, method: string, apiPath: string, record: ApiRequestRecord) {
    const key = authenticate(req, record);
    if (method === "GET" && apiPath === PATHS.session) {
      return sendJson(res, 200, {
        id: 1,
        uuid: userUuid(key.username),
        username: key.username,
        email: key.username,
        name: key.username.split("@")[0],
        type: "local",
        permissions: key.permissions,
        enabled: true,
        container_name: "Postura simulator",
      });
    }
    if (method === "GET" && apiPath === PATHS.vulnsExportJobs) {
      requirePermission(key, EXPORT_MIN_PERMISSION, "export vulnerabilities");
      return sendJson(res, 200, {
        exports: exports.list().map((job) => {
          const view = exports.statusView(job);
          return { uuid: view.uuid, status: view.status, total_chunks: view.total_chunks, finished_chunks: view.finished_chunks, filters: view.filters, num_assets_per_chunk: view.num_assets_per_chunk, created: view.created };
        }),
      });
    }
    if (method === "POST" && apiPath === PATHS.vulnsExport) {
      requirePermission(key, EXPORT_MIN_PERMISSION, "export vulnerabilities");
      const outcome = exports.create(key.accessKey, await readBody(req, MAX_BODY_BYTES), data, now());
      if (outcome.kind === "duplicate") {
        record.statusCode = 409;
        return sendJson(res, 409, { active_job_id: outcome.active.uuid, failure_reason: DUPLICATE_EXPORT_REASON });
      }
      if (outcome.kind === "too_many") {
        record.statusCode = 429;
        return sendRateLimited(res);
      }
      return sendJson(res, 200, { export_uuid: outcome.job.uuid });
    }
    const exportMatch = EXPORT_PATH.exec(apiPath);
    if (exportMatch) {
      requirePermission(key, EXPORT_MIN_PERMISSION, "export vulnerabilities");
      const job = exportOf(exportMatch[1]!);
      if (method === "GET" && exportMatch[2] === "status") return sendJson(res, 200, exports.statusView(exports.poll(job, data)));
      if (method === "POST" && exportMatch[2] === "cancel") {
        if (!exports.cancel(job)) throw tenableError(400, `Export ${job.uuid} is ${job.status} and cannot be cancelled.`);
        return sendJson(res, 200, { status: "CANCELLED" });
      }
      if (method === "GET" && exportMatch[3] !== undefined) {
        const chunk = Number(exportMatch[3]);
        if (job.available.includes(chunk)) {
          if (job.expired.has(chunk)) throw tenableError(404, `Chunk ${chunk} of export ${job.uuid} has expired.`);
          const body = JSON.stringify(exports.chunkFindings(job, chunk, data));
          return sendBody(res, 200, CHUNK_CONTENT_TYPE, body);
        }
        const pending = chunk >= FIRST_CHUNK_ID && chunk < FIRST_CHUNK_ID + job.totalChunks && !job.failed.includes(chunk) && !job.cancelled.includes(chunk);
        if (pending) throw tenableError(400, `Chunk ${chunk} of export ${job.uuid} is not ready yet.`);
        throw tenableError(404, `Export ${job.uuid} has no chunk ${chunk} to download.`);
      }
    }
    if (method === "POST" && apiPath === PATHS.importAssets) {
      requirePermission(key, ASSET_IMPORT_MIN_PERMISSION, "import assets");
      const raw = await readBody(req, ASSET_IMPORT_MAX_BYTES);
      const body = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
      if (typeof body.source !== "string" || body.source === "") throw tenableError(400, "source is required.");
      if (!Array.isArray(body.assets) || body.assets.length === 0) {
        throw tenableError(400, "assets must be a non-empty list.");
      }
      body.assets.forEach((asset, index) => {
        const problem = assetImportProblem(asset);
        if (problem) throw tenableError(400, `assets[${index}] ${problem}.`);
      });
      const jobUuid = seededUuid(random);
      imports.push({
        jobUuid,
        at: new Date(now()).toISOString(),
        accessKey: key.accessKey,
        source: body.source,
        assets: body.assets as Record<string, unknown>[],
        bytes: Number(req.headers["content-length"] ?? 0),
      });
      return sendJson(res, 200, { asset_import_job_uuid: jobUuid });
    }
    const importJob = new RegExp(`^${PATHS.assetImportJobs}/([0-9a-f-]{36})$`).exec(apiPath);
    if (method === "GET" && importJob) {
      requirePermission(key, ASSET_IMPORT_MIN_PERMISSION, "import assets");
      const found = imports.find((i) => i.jobUuid === importJob[1]);
      if (!found) throw tenableError(404, `Asset import job ${importJob[1]} not found.`);
      return sendJson(res, 200, {
        job_id: found.jobUuid,
        source: found.source,
        status: "COMPLETE",
        batches: 1,
        uploaded_assets: found.assets.length,
        total_assets: found.assets.length,
        failed_assets: 0,
        start_time: Date.parse(found.at),
        end_time: Date.parse(found.at),
      });
    }
    throw tenableError(404, `No route for ${method} ${apiPath}.`);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? "GET";
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    const [resource, id, sub, subId, action] = parts;
    const body = method === "GET" || method === "DELETE" ? {} : await readBody(req, MAX_BODY_BYTES);
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const controlJob = (uuid: string) => {
      const job = exports.get(uuid);
      if (!job) throw new HttpError(404, { message: `export ${uuid} not found` });
      return job;
    };

    if (resource === "state" && method === "GET") {
      return sendJson(res, 200, { ...data.counts(), epoch: new Date(data.epoch).toISOString(), seed: seedOptions, timing, faults: faults.list() });
    }
    if (resource === "reset" && method === "POST") {
      reset();
      return sendJson(res, 200, data.counts());
    }
    if (resource === "keys" && method === "GET") return sendJson(res, 200, keys.list().map(({ secretKey: _, ...k }) => k));
    if (resource === "keys" && method === "POST") {
      const key = fields as unknown as TenableKey;
      if (typeof key.accessKey !== "string" || typeof key.secretKey !== "string" || typeof key.permissions !== "number") {
        throw new HttpError(400, { message: "a key needs accessKey, secretKey and permissions (16, 24, 32, 40 or 64)" });
      }
      keys.add({ ...key, username: key.username ?? `${key.accessKey}@postura.example` });
      return sendJson(res, 201, { ok: true });
    }
    if (resource === "scans" && method === "POST") return sendJson(res, 201, data.runScan(fields as ScanSpec, now()));
    if (resource === "findings" && method === "POST") return sendJson(res, 201, data.addFinding(fields as NewFinding, now()));
    if (resource === "export-plan" && method === "PUT") {
      exports.planNext(fields as ExportPlan);
      return sendJson(res, 200, fields);
    }
    if (resource === "export-plan" && method === "DELETE") {
      exports.planNext(null);
      return sendJson(res, 200, { ok: true });
    }
    if (resource === "exports") {
      if (method === "GET" && !id) return sendJson(res, 200, exports.list().map((job) => exports.statusView(job)));
      if (method === "GET" && id) return sendJson(res, 200, exports.statusView(controlJob(id)));
      if (method === "POST" && id && sub === "error") {
        return sendJson(res, 200, { changed: exports.fail(controlJob(id), typeof fields.reason === "string" ? fields.reason : "Export failed.") });
      }
      if (method === "POST" && id && sub === "cancel") return sendJson(res, 200, { changed: exports.cancel(controlJob(id)) });
      if (method === "POST" && id && sub === "chunks" && subId && action === "expire") {
        controlJob(id).expired.add(Number(subId));
        return sendJson(res, 200, { ok: true });
      }
      if (method === "POST" && id && sub === "chunks" && subId && action === "fail") {
        exports.failChunk(controlJob(id), Number(subId));
        return sendJson(res, 200, { ok: true });
      }
    }
    if (resource === "asset-imports" && method === "GET") return sendJson(res, 200, imports);
    if (resource === "faults") {
      const answer = faultControl(faults, method, id, fields);
      if (answer) return sendJson(res, answer.status, answer.body);
    }
    if (resource === "request-log" && method === "GET") return sendJson(res, 200, requests.list());
    throw new HttpError(404, { message: `No control route for ${method} ${path}` });
  }

  const server = await serve({
    port: options.port,
    host: options.host,
    handle(req, res, url) {
      if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        return handleControl(req, res, url.pathname.slice(CONTROL_PREFIX.length));
      }
      return handleApi(req, res, url.pathname);
    },
    onError(error, res) {
      if (error instanceof HttpError) return sendJson(res, error.statusCode, error.body, error.headers);
      if (error instanceof SimulatorInputError) return sendJson(res, error.statusCode, tenableErrorBody(error.statusCode, error.message));
      sendJson(res, 500, tenableErrorBody(500, (error as Error).message));
    },
  });

  return {
    url: server.origin,
    baseUrl: server.origin,
    keys: TENABLE_KEYS,
    get data() {
      return data;
    },
    close: () => server.close(),
    reset,
    addKey: (key) => keys.add(key),
    runScan: (spec = {}) => data.runScan(spec, now()),
    addFinding: (input) => data.addFinding(input, now()),
    planNextExport: (plan) => exports.planNext(plan),
    exportJobs: () => exports.list(),
    exportJob: (uuid) => exports.get(uuid),
    failExport: (uuid, reason = "Export failed.") => {
      const job = exports.get(uuid);
      return job ? exports.fail(job, reason) : false;
    },
    cancelExport: (uuid) => {
      const job = exports.get(uuid);
      return job ? exports.cancel(job) : false;
    },
    expireChunk: (uuid, chunk) => exports.get(uuid)?.expired.add(chunk),
    failChunk: (uuid, chunk) => {
      const job = exports.get(uuid);
      if (job) exports.failChunk(job, chunk);
    },
    assetImports: () => [...imports],
    injectFault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    requestLog: () => requests.list(),
  };
}
