// The simulator's HTTP server: Salt's public API under /us and /eu, and a loopback control API under /__control.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CONTROL_PREFIX,
  ERROR_CODES,
  GAP_ID_FILTER,
  PAGE_DEFAULT_LIMIT,
  PAGE_MAX_LIMIT,
  PATHS,
  SCOPE_EXECUTOR,
  SCOPE_VIEWER,
  STATUSES,
  type Region,
  type SaltErrorBody,
  type Scope,
  type WriteBackBody,
} from "./conventions";
import { FaultInjector, applyFaults, faultControl, type ActiveFault, type FaultSpec } from "../simulator-kit/faults";
import { CappedLog, HttpError, SimulatorInputError, readJsonBody, sendJson, serve } from "../simulator-kit/http";
import { KeyRing, SIMULATOR_KEYS, defaultKeys, type SimulatorKey } from "./keys";
import { DEFAULT_SEED_OPTIONS, generateSeedData, type SeedOptions } from "./seed";
import {
  SimulatorState,
  isStatus,
  type NewEndpoint,
  type NewHost,
  type NewPostureGap,
  type PageRequest,
  type PostureGapPatch,
  type WriteBackRecord,
} from "./store";
import { WebhookSender, type WebhookConfig, type WebhookDelivery } from "./webhook";

export interface SaltSimulatorOptions {
  /** 0 (default) picks a random free port. */
  port?: number;
  host?: string;
  seed?: number;
  hosts?: number;
  endpointsPerHost?: number;
  gapsPerEndpoint?: number;
}

export interface ApiRequestRecord {
  at: string;
  region: Region;
  method: string;
  path: string;
  query: string;
  keyName: string | null;
  statusCode: number | "hang" | "reset";
}

export interface SaltSimulator {
  /** Origin, e.g. http://127.0.0.1:4010 */
  url: string;
  baseUrls: { us: string; eu: string };
  keys: typeof SIMULATOR_KEYS;
  state: SimulatorState;
  close(): Promise<void>;
  reset(): void;
  addKey(key: SimulatorKey): void;
  configureWebhook(config: WebhookConfig): void;
  clearWebhook(): void;
  /** Salt's "Test Integration" button: sends one integration.test event. */
  testWebhook(host?: string): Promise<WebhookDelivery | undefined>;
  /** Resolves when every webhook send in flight has finished. */
  webhooksIdle(): Promise<void>;
  webhookLog(): WebhookDelivery[];
  injectFault(spec: FaultSpec): ActiveFault;
  removeFault(id: number): boolean;
  clearFaults(): void;
  faults(): ActiveFault[];
  writeLog(): WriteBackRecord[];
  requestLog(): ApiRequestRecord[];
}

const MAX_BODY_BYTES = 1_000_000;
const REQUEST_LOG_CAP = 5_000;

function saltError(statusCode: number, errorCode: SaltErrorBody["errorCode"], message: string, extra = {}): HttpError {
  return new HttpError(statusCode, { errorCode, message, ...extra } satisfies SaltErrorBody);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return readJsonBody(req, {
    maxBytes: MAX_BODY_BYTES,
    tooLarge: () => saltError(413, ERROR_CODES.badRequest, "request body too large"),
    notJson: () => saltError(400, ERROR_CODES.badRequest, "request body is not valid JSON"),
  });
}

function parsePage(query: URLSearchParams): PageRequest {
  const limitRaw = query.get("limit");
  const offsetRaw = query.get("offset");
  const limit = limitRaw === null ? PAGE_DEFAULT_LIMIT : Number(limitRaw);
  const offset = offsetRaw === null ? 0 : Number(offsetRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX_LIMIT) {
    throw saltError(400, ERROR_CODES.badRequest, `limit must be an integer from 1 to ${PAGE_MAX_LIMIT}`);
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw saltError(400, ERROR_CODES.badRequest, "offset must be a non-negative integer");
  }
  return { limit, offset };
}

function optionalParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === "" ? undefined : value;
}

export async function startSaltSimulator(options: SaltSimulatorOptions = {}): Promise<SaltSimulator> {
  const seedOptions: SeedOptions = {
    seed: options.seed ?? DEFAULT_SEED_OPTIONS.seed,
    hosts: options.hosts ?? DEFAULT_SEED_OPTIONS.hosts,
    endpointsPerHost: options.endpointsPerHost ?? DEFAULT_SEED_OPTIONS.endpointsPerHost,
    gapsPerEndpoint: options.gapsPerEndpoint ?? DEFAULT_SEED_OPTIONS.gapsPerEndpoint,
  };
  const webhook = new WebhookSender();
  const state = new SimulatorState((change) => webhook.send(change.eventType, change.gap.host), undefined, seedOptions.seed);
  const faults = new FaultInjector(seedOptions.seed);
  let keys = new KeyRing(defaultKeys());
  const requests = new CappedLog<ApiRequestRecord>(REQUEST_LOG_CAP);

  const reset = (): void => {
    state.load(generateSeedData(seedOptions), seedOptions.seed);
    keys = new KeyRing(defaultKeys());
    faults.clear();
    webhook.clear();
    webhook.clearLog();
    requests.clear();
  };
  reset();

  function authenticate(req: IncomingMessage, region: Region, scope: Scope): SimulatorKey {
    const header = req.headers.authorization;
    // Node drops whitespace at the ends of a header value (HTTP says so); a space between "Bearer " and the key,
    // or anywhere inside it, reaches us and is refused: the simulator never trims.
    const match = header === undefined ? null : /^Bearer (.+)$/.exec(header);
    const token = match?.[1];
    if (token === undefined) {
      throw saltError(401, ERROR_CODES.unauthorized, "Missing bearer token in the Authorization header");
    }
    const key = keys.find(token);
    if (!key || key.region !== region) throw saltError(401, ERROR_CODES.unauthorized, "Invalid API key");
    if (Date.parse(key.expiresAt) <= Date.now()) {
      throw saltError(401, ERROR_CODES.keyExpired, `The API key expired on ${key.expiresAt}`);
    }
    if (!key.scopes.includes(scope)) {
      throw saltError(403, ERROR_CODES.forbidden, `The API key lacks the ${scope} scope`, { requiredScope: scope });
    }
    return key;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, region: Region, url: URL, apiPath: string) {
    const method = req.method ?? "GET";
    const record: ApiRequestRecord = {
      at: new Date().toISOString(),
      region,
      method,
      path: apiPath,
      query: url.search,
      keyName: null,
      statusCode: 200,
    };
    requests.push(record);

    const faulted = await applyFaults(faults, req, res, apiPath, (statusCode, retryAfter) => {
      const code =
        statusCode === 429
          ? ERROR_CODES.rateLimited
          : statusCode === 500
            ? ERROR_CODES.internal
            : statusCode === 502
              ? ERROR_CODES.badGateway
              : ERROR_CODES.unavailable;
      sendJson(
        res,
        statusCode,
        { errorCode: code, message: `Injected ${statusCode}` },
        retryAfter === undefined ? {} : { "retry-after": retryAfter },
      );
    });
    if (faulted !== null) {
      record.statusCode = faulted;
      return;
    }

    try {
      const query = url.searchParams;
      if (method === "GET" && apiPath === PATHS.hosts) {
        record.keyName = authenticate(req, region, SCOPE_VIEWER).key;
        return sendJson(res, 200, state.listHosts(parsePage(query)));
      }
      if (method === "GET" && apiPath === PATHS.endpoints) {
        record.keyName = authenticate(req, region, SCOPE_VIEWER).key;
        return sendJson(res, 200, state.listEndpoints(parsePage(query), { host: optionalParam(query, "host") }));
      }
      if (method === "GET" && apiPath === PATHS.postureGaps) {
        record.keyName = authenticate(req, region, SCOPE_VIEWER).key;
        return sendJson(
          res,
          200,
          state.listPostureGaps(parsePage(query), {
            host: optionalParam(query, "host"),
            status: optionalParam(query, "status"),
            severity: optionalParam(query, "severity"),
            postureGapId: optionalParam(query, GAP_ID_FILTER),
          }),
        );
      }
      if (method === "POST" && apiPath === PATHS.postureGaps) {
        const key = authenticate(req, region, SCOPE_EXECUTOR);
        record.keyName = key.key;
        const body = (await readJson(req)) as WriteBackBody;
        if (body.dryRun === true) return sendJson(res, 200, { dryRun: true, permitted: true });
        if (typeof body.postureGapId !== "string" || body.postureGapId === "") {
          throw saltError(400, ERROR_CODES.badRequest, "postureGapId is required");
        }
        if (!isStatus(body.status)) {
          throw saltError(400, ERROR_CODES.badRequest, `status must be one of ${STATUSES.join(", ")}`);
        }
        const { gap, changed } = state.writeBack(key.key, body.postureGapId, body.status);
        return sendJson(res, 200, { response: gap, changed });
      }
      throw saltError(404, ERROR_CODES.notFound, `No route for ${method} ${apiPath}`);
    } catch (error) {
      if (error instanceof SimulatorInputError) {
        record.statusCode = error.statusCode;
        const code = error.statusCode === 404 ? ERROR_CODES.notFound : ERROR_CODES.badRequest;
        return sendJson(res, error.statusCode, { errorCode: code, message: error.message });
      }
      if (error instanceof HttpError) {
        record.statusCode = error.statusCode;
        return sendJson(res, error.statusCode, error.body);
      }
      record.statusCode = 500;
      throw error;
    }
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? "GET";
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    const [resource, id] = parts;
    const body = method === "GET" || method === "DELETE" ? {} : await readJson(req);
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;

    if (resource === "state" && method === "GET") {
      return sendJson(res, 200, { ...state.counts(), seed: seedOptions, webhook: webhook.current(), faults: faults.list() });
    }
    if (resource === "reset" && method === "POST") {
      reset();
      return sendJson(res, 200, state.counts());
    }
    if (resource === "keys" && method === "GET") return sendJson(res, 200, keys.list());
    if (resource === "keys" && method === "POST") {
      const key = fields as unknown as SimulatorKey;
      if (typeof key.key !== "string" || (key.region !== "us" && key.region !== "eu") || !Array.isArray(key.scopes)) {
        throw new HttpError(400, { message: "key needs key, region (us|eu), scopes[] and expiresAt" });
      }
      keys.add({ ...key, expiresAt: key.expiresAt ?? "2099-12-31T23:59:59.000Z" });
      return sendJson(res, 201, { ok: true });
    }
    if (resource === "hosts") {
      if (method === "POST" && !id) return sendJson(res, 201, state.createHost(fields as unknown as NewHost));
      if (method === "PATCH" && id) return sendJson(res, 200, state.updateHost(id, fields as { labels?: string[] }));
      if (method === "DELETE" && id) {
        state.deleteHost(id);
        return sendJson(res, 200, { ok: true });
      }
    }
    if (resource === "endpoints") {
      if (method === "POST" && !id) return sendJson(res, 201, state.createEndpoint(fields as unknown as NewEndpoint));
      if (method === "PATCH" && id) return sendJson(res, 200, state.updateEndpoint(id, fields as { labels?: string[] }));
      if (method === "DELETE" && id) {
        state.deleteEndpoint(id);
        return sendJson(res, 200, { ok: true });
      }
    }
    if (resource === "gaps") {
      if (method === "POST" && !id) {
        return sendJson(res, 201, state.createPostureGap(fields as unknown as NewPostureGap));
      }
      if (method === "GET" && id) {
        const gap = state.getPostureGap(id);
        return gap ? sendJson(res, 200, gap) : sendJson(res, 404, { message: `posture gap ${id} not found` });
      }
      if (method === "PATCH" && id) {
        return sendJson(res, 200, state.updatePostureGap(id, fields as PostureGapPatch));
      }
      if (method === "DELETE" && id) {
        state.deletePostureGap(id);
        return sendJson(res, 200, { ok: true });
      }
    }
    if (resource === "webhook") {
      if (method === "PUT" && !id) {
        try {
          webhook.configure(fields as unknown as WebhookConfig);
        } catch (error) {
          throw new HttpError(400, { message: (error as Error).message });
        }
        return sendJson(res, 200, webhook.current());
      }
      if (method === "DELETE" && !id) {
        webhook.clear();
        return sendJson(res, 200, { ok: true });
      }
      if (method === "POST" && id === "test") {
        const delivery = await simulator.testWebhook(typeof fields.host === "string" ? fields.host : undefined);
        return sendJson(res, delivery ? 200 : 409, delivery ?? { message: "no webhook configured" });
      }
      if (method === "GET" && id === "log") {
        await webhook.idle();
        return sendJson(res, 200, webhook.log());
      }
    }
    if (resource === "faults") {
      const answer = faultControl(faults, method, id, fields);
      if (answer) return sendJson(res, answer.status, answer.body);
    }
    if (resource === "write-log" && method === "GET") return sendJson(res, 200, state.writeLog());
    if (resource === "request-log" && method === "GET") return sendJson(res, 200, requests.list());
    throw new HttpError(404, { message: `No control route for ${method} ${path}` });
  }

  const server = await serve({
    port: options.port,
    host: options.host,
    async handle(req, res, url) {
      if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        return handleControl(req, res, url.pathname.slice(CONTROL_PREFIX.length));
      }
      const match = /^\/(us|eu)(\/v1\/.*)$/.exec(url.pathname);
      const region = match?.[1] as Region | undefined;
      const apiPath = match?.[2];
      if (!region || !apiPath) {
        throw saltError(404, ERROR_CODES.notFound, "Paths start with /us/v1 or /eu/v1 (or /__control)");
      }
      return handleApi(req, res, region, url, apiPath);
    },
    onError(error, res) {
      if (error instanceof HttpError) return sendJson(res, error.statusCode, error.body);
      if (error instanceof SimulatorInputError) return sendJson(res, error.statusCode, { message: error.message });
      sendJson(res, 500, { errorCode: ERROR_CODES.internal, message: (error as Error).message });
    },
  });
  const origin = server.origin;

  const simulator: SaltSimulator = {
    url: origin,
    baseUrls: { us: `${origin}/us`, eu: `${origin}/eu` },
    keys: SIMULATOR_KEYS,
    state,
    async close() {
      await webhook.idle();
      await server.close();
    },
    reset,
    addKey: (key) => keys.add(key),
    configureWebhook: (config) => webhook.configure(config),
    clearWebhook: () => webhook.clear(),
    async testWebhook(host) {
      if (!webhook.current()) return undefined;
      const before = webhook.log().length;
      webhook.send("integration.test", host ?? state.listHosts({ offset: 0, limit: 1 }).response[0]?.host ?? "example.com");
      await webhook.idle();
      return webhook.log()[before];
    },
    webhooksIdle: () => webhook.idle(),
    webhookLog: () => webhook.log(),
    injectFault: (spec) => faults.add(spec),
    removeFault: (id) => faults.remove(id),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    writeLog: () => state.writeLog(),
    requestLog: () => requests.list(),
  };
  return simulator;
}
