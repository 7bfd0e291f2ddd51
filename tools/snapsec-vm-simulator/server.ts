// The simulator's HTTP server: the Snapsec VM API under /api/v1 (behind an optional access gateway) and a loopback
// control API under /__control that reads what it received and configures keys, the gateway and faults.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import {
  API_KEY_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  VM_ERROR_CODES,
  VM_LIMITS,
  VM_QUERY,
  VM_ROLES,
  VM_ASSESSMENT_STAGES,
  VM_THREAT_STATUSES,
  vmBulkUpsertBodySchema,
  vmSingleUpsertBodySchema,
  vmStatusBodySchema,
  type VmBulkUpsertResponse,
  type VmErrorBody,
  type VmErrorCode,
  type VmRole,
} from "../../server/integrations/snapsec-vm/contract";
import { FaultInjector, validateFault, type ActiveFault, type FaultSpec } from "../simulator-kit/faults";
import { HttpError, readJsonBody, sendBody, sendJson, serve } from "../simulator-kit/http";
import { GATEWAY_LOGIN_PAGE, GATEWAY_LOGIN_PATH, passesGateway, validateGateway, type GatewayConfig } from "./gateway";
import { VM_SIMULATOR_KEYS, VmKeyRing, defaultVmKeys, missingRequiredHeader, type VmSimulatorKey } from "./keys";
import { VmInputError, VmWorkspaceState, describeIssue, type VmPageRequest } from "./store";

export interface VmSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Seeds the fault injector's draws, so a fault with `rate` < 1 hits the same calls every run. */
  seed?: number;
}

/** One API call as the simulator received it. The key itself is replaced by the key's name. */
export interface VmRequestRecord {
  at: string;
  method: string;
  path: string;
  query: string;
  auth: "x-api-key" | "bearer" | null;
  keyName: string | null;
  /** Every header received (lower-case names); x-api-key and authorization show as "[key]". */
  headers: Record<string, string>;
  /** The parsed JSON body (undefined for GET, for an empty body, and once 20 newer calls were logged). */
  body?: unknown;
  /** "pending" until answered; "hang" is never answered. */
  statusCode: number | "pending" | "hang" | "reset";
}

export interface VmSimulator {
  /** Origin, e.g. http://127.0.0.1:4020: the "VM base URL" a user types. */
  url: string;
  keys: typeof VM_SIMULATOR_KEYS;
  state: VmWorkspaceState;
  close(): Promise<void>;
  /** Seeded assessments, default keys, no gateway, no faults, empty request log. */
  reset(): void;
  addKey(key: Partial<VmSimulatorKey> & { key: string }): void;
  setKeyRevoked(key: string, revoked: boolean): boolean;
  setGateway(config: Partial<GatewayConfig> & { headers: Record<string, string> }): void;
  clearGateway(): void;
  injectFault(spec: FaultSpec): ActiveFault;
  clearFaults(): void;
  requestLog(): VmRequestRecord[];
}

export const VM_WORKSPACE = { id: "ws_demo", name: "Acme Security (simulated)" } as const;
export const VM_CONTROL_PREFIX = "/__control";
const API_PREFIX = "/api/v1";
const WRITER_ROLES: readonly VmRole[] = ["admin", "manager"];
/** 500 items of the largest allowed size would exceed this; real batches are far smaller. */
const MAX_BODY_BYTES = 25_000_000;
const REQUEST_LOG_CAP = 5_000;
/** Bodies are kept for the most recent calls only: a 100,000-record backfill must not be held twice in memory. */
const BODIES_KEPT = 20;

function vmError(statusCode: number, code: VmErrorCode, message: string, extra: { field?: string; header?: string } = {}) {
  return new HttpError(statusCode, { error: { code, message, ...extra } } satisfies VmErrorBody);
}

/** The JSON body, or undefined when empty. A declared or actual size above the cap is refused. */
function readBody(req: IncomingMessage): Promise<unknown> {
  return readJsonBody(req, {
    maxBytes: MAX_BODY_BYTES,
    tooLarge: () => vmError(413, VM_ERROR_CODES.payloadTooLarge, `The body is larger than ${MAX_BODY_BYTES} bytes`),
    notJson: () => vmError(400, VM_ERROR_CODES.validation, "The body is not valid JSON"),
    empty: undefined,
  });
}

function pageOf(query: URLSearchParams): VmPageRequest {
  const limit = Number(query.get(VM_QUERY.limit) ?? VM_LIMITS.pageDefault);
  const offset = Number(query.get(VM_QUERY.offset) ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > VM_LIMITS.pageMax) {
    throw vmError(400, VM_ERROR_CODES.validation, `limit must be an integer from 1 to ${VM_LIMITS.pageMax}`, {
      field: VM_QUERY.limit,
    });
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw vmError(400, VM_ERROR_CODES.validation, "offset must be a non-negative integer", { field: VM_QUERY.offset });
  }
  return { limit, offset };
}

function parsed<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const { field, reason } = describeIssue(result.error);
  throw vmError(400, VM_ERROR_CODES.validation, reason, { field });
}

function decodeSegments(path: string): string[] {
  try {
    return path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw vmError(400, VM_ERROR_CODES.validation, "The path is not correctly percent-encoded");
  }
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = name === API_KEY_HEADER || name === "authorization" ? "[key]" : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export async function startSnapsecVmSimulator(options: VmSimulatorOptions = {}): Promise<VmSimulator> {
  const state = new VmWorkspaceState();
  const faults = new FaultInjector(options.seed ?? 42);
  let keys = new VmKeyRing(defaultVmKeys());
  let gateway: GatewayConfig | null = null;
  const requests: VmRequestRecord[] = [];

  const reset = (): void => {
    state.load();
    keys = new VmKeyRing(defaultVmKeys());
    gateway = null;
    faults.clear();
    requests.length = 0;
  };

  const addKey = (input: Partial<VmSimulatorKey> & { key: string }): void => {
    if (typeof input.key !== "string" || input.key === "") throw new Error("key needs a non-empty key");
    if (input.role !== undefined && !VM_ROLES.includes(input.role)) throw new Error(`role must be one of ${VM_ROLES.join(", ")}`);
    const required = input.requiredHeaders ?? {};
    if (typeof required !== "object" || required === null || !Object.values(required).every((v) => typeof v === "string")) {
      throw new Error("requiredHeaders must be { name: value, ... } with text values");
    }
    keys.put({
      key: input.key,
      name: input.name ?? "Added key",
      role: input.role ?? "admin",
      revoked: input.revoked ?? false,
      requiredHeaders: required,
    });
  };

  /** Never trims: whatever reached us after HTTP's own whitespace rules is the key as sent. */
  function authenticate(req: IncomingMessage, record: VmRequestRecord): VmSimulatorKey {
    const apiKey = req.headers[API_KEY_HEADER];
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const token = typeof apiKey === "string" ? apiKey : bearer;
    record.auth = typeof apiKey === "string" ? "x-api-key" : bearer !== undefined ? "bearer" : null;
    if (token === undefined) {
      throw vmError(401, VM_ERROR_CODES.unauthorized, "Send the workspace API key in the x-api-key header");
    }
    const key = keys.find(token);
    if (!key) throw vmError(401, VM_ERROR_CODES.invalidKey, "Invalid API key");
    record.keyName = key.name;
    if (key.revoked) throw vmError(401, VM_ERROR_CODES.revokedKey, "This API key was revoked");
    const missing = missingRequiredHeader(key.requiredHeaders, req.headers);
    if (missing !== undefined) {
      throw vmError(403, VM_ERROR_CODES.missingHeader, `This API key is only accepted with the ${missing} header`, {
        header: missing,
      });
    }
    return key;
  }

  function requireWriter(key: VmSimulatorKey, action: string): void {
    if (!WRITER_ROLES.includes(key.role)) {
      throw vmError(403, VM_ERROR_CODES.forbidden, `The ${key.role} role cannot ${action}; admins and managers can`);
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, record: VmRequestRecord): Promise<void> {
    const method = record.method;
    // Read first, so a call slowed past the client's timeout is still carried out: an answer lost, not a request.
    const body = method === "GET" || method === "DELETE" ? undefined : await readBody(req);
    record.body = body;
    const { latencyMs, decision } = faults.decide(method, url.pathname);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (decision.kind === "hang") {
      record.statusCode = "hang";
      return; // never answered: the client's timeout, or close(), ends it
    }
    if (decision.kind === "reset") {
      record.statusCode = "reset";
      req.socket.resetAndDestroy();
      return;
    }
    if (decision.kind === "status") {
      const code = {
        429: VM_ERROR_CODES.rateLimited,
        500: VM_ERROR_CODES.internal,
        502: VM_ERROR_CODES.badGateway,
        503: VM_ERROR_CODES.unavailable,
      }[decision.statusCode];
      throw new HttpError(
        decision.statusCode,
        { error: { code, message: `Injected ${decision.statusCode}` } },
        decision.retryAfter === undefined ? {} : { "retry-after": decision.retryAfter },
      );
    }
    if (gateway && !passesGateway(gateway, req.headers)) {
      record.statusCode = gateway.mode === "403" ? 403 : 302;
      if (gateway.mode === "403") return sendBody(res, 403, "text/html; charset=utf-8", GATEWAY_LOGIN_PAGE);
      return sendBody(res, 302, "text/html; charset=utf-8", "", { location: GATEWAY_LOGIN_PATH });
    }

    const key = authenticate(req, record);
    const query = url.searchParams;
    const [, , resource, ...rest] = decodeSegments(url.pathname); // "api", "v1", resource, ...

    if (resource === "workspace" && rest.length === 0 && method === "GET") {
      return sendJson(res, 200, { data: { workspace: VM_WORKSPACE, key: { name: key.name, role: key.role } } });
    }
    if (resource === "assessments") {
      const [assessmentId] = rest;
      if (rest.length === 0 && method === "GET") return sendJson(res, 200, state.listAssessments(pageOf(query)));
      if (rest.length === 0 && method === "POST") {
        requireWriter(key, "create assessments");
        const idempotencyKey = req.headers[IDEMPOTENCY_KEY_HEADER];
        const scoped = typeof idempotencyKey === "string" && idempotencyKey !== "" ? `${key.name}\n${idempotencyKey}` : undefined;
        const { assessment, replayed } = state.createAssessment(body ?? {}, scoped);
        return sendJson(res, 201, { data: assessment }, replayed ? { "idempotent-replayed": "true" } : {});
      }
      if (rest.length === 1 && assessmentId !== undefined && method === "GET") {
        const assessment = state.getAssessment(assessmentId);
        if (!assessment) throw vmError(404, VM_ERROR_CODES.assessmentNotFound, `No assessment with id ${assessmentId}`);
        return sendJson(res, 200, { data: assessment });
      }
    }
    if (resource === "vulnerabilities") {
      const [sub, externalId, tail] = rest;
      if (rest.length === 0 && method === "GET") {
        const filter = {
          assessmentId: query.get(VM_QUERY.assessmentId) ?? undefined,
          externalId: query.get(VM_QUERY.externalId) ?? undefined,
        };
        return sendJson(res, 200, state.listVulnerabilities(pageOf(query), filter));
      }
      if (sub === "bulk" && rest.length === 1 && method === "POST") {
        requireWriter(key, "update vulnerabilities");
        const { assessmentId, vulnerabilities } = parsed(vmBulkUpsertBodySchema, body);
        if (vulnerabilities.length > VM_LIMITS.maxBatch) {
          throw vmError(413, VM_ERROR_CODES.batchTooLarge, `At most ${VM_LIMITS.maxBatch} vulnerabilities per call`, {
            field: "vulnerabilities",
          });
        }
        const results = state.bulkUpsert(assessmentId, vulnerabilities);
        const summary = { created: 0, updated: 0, unchanged: 0, error: 0 };
        for (const r of results) summary[r.result]++;
        return sendJson(res, 200, { results, summary } satisfies VmBulkUpsertResponse);
      }
      if (sub === "external" && externalId !== undefined) {
        if (rest.length === 2 && method === "GET") {
          const found = state.getVulnerability(externalId);
          if (!found) throw vmError(404, VM_ERROR_CODES.notFound, `No vulnerability with external id ${externalId}`);
          return sendJson(res, 200, { data: found });
        }
        if (rest.length === 2 && method === "PUT") {
          requireWriter(key, "update vulnerabilities");
          const { assessmentId, vulnerability } = parsed(vmSingleUpsertBodySchema, body);
          const item = { ...(vulnerability as object), externalId };
          const sentId = (vulnerability as { externalId?: unknown } | null)?.externalId;
          if (sentId !== undefined && sentId !== externalId) {
            throw vmError(400, VM_ERROR_CODES.validation, "externalId in the body differs from the path", {
              field: "vulnerability.externalId",
            });
          }
          const { vulnerability: stored, result } = state.upsert(assessmentId, item);
          return sendJson(res, result === "created" ? 201 : 200, { data: stored, result });
        }
        if (rest.length === 3 && tail === "status" && method === "PATCH") {
          requireWriter(key, "update vulnerabilities");
          const { status } = parsed(vmStatusBodySchema, body);
          const { vulnerability, changed } = state.setStatus(externalId, status);
          return sendJson(res, 200, { data: vulnerability, changed });
        }
      }
    }
    throw vmError(404, VM_ERROR_CODES.notFound, `No route for ${method} ${url.pathname}`);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? "GET";
    const [resource, id] = decodeSegments(url.pathname.slice(VM_CONTROL_PREFIX.length));
    const body = method === "GET" || method === "DELETE" ? undefined : await readBody(req);
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const badRequest = (error: unknown) => new HttpError(400, { message: (error as Error).message });

    if (resource === "state" && method === "GET") {
      return sendJson(res, 200, { ...state.counts(), gateway, faults: faults.list(), requests: requests.length });
    }
    if (resource === "reset" && method === "POST") {
      reset();
      return sendJson(res, 200, state.counts());
    }
    if (resource === "keys" && method === "GET") return sendJson(res, 200, keys.list());
    if (resource === "keys" && method === "POST" && id === undefined) {
      try {
        addKey(fields as Partial<VmSimulatorKey> & { key: string });
      } catch (error) {
        throw badRequest(error);
      }
      return sendJson(res, 201, { ok: true });
    }
    if (resource === "keys" && method === "POST" && (id === "revoke" || id === "restore")) {
      const found = typeof fields.key === "string" && keys.setRevoked(fields.key, id === "revoke");
      return found ? sendJson(res, 200, { ok: true }) : sendJson(res, 404, { message: "no such key" });
    }
    if (resource === "gateway" && method === "PUT") {
      try {
        gateway = validateGateway(fields);
      } catch (error) {
        throw badRequest(error);
      }
      return sendJson(res, 200, gateway);
    }
    if (resource === "gateway" && method === "DELETE") {
      gateway = null;
      return sendJson(res, 200, { ok: true });
    }
    if (resource === "faults") {
      if (method === "GET") return sendJson(res, 200, faults.list());
      if (method === "POST") {
        try {
          return sendJson(res, 201, faults.add(validateFault(fields)));
        } catch (error) {
          throw badRequest(error);
        }
      }
      if (method === "DELETE" && id !== undefined) return sendJson(res, 200, { removed: faults.remove(Number(id)) });
      if (method === "DELETE") {
        faults.clear();
        return sendJson(res, 200, { ok: true });
      }
    }
    if (resource === "request-log" && method === "GET") return sendJson(res, 200, requests);
    if (resource === "request-log" && method === "DELETE") {
      requests.length = 0;
      return sendJson(res, 200, { ok: true });
    }
    if (resource === "assessments") {
      if (method === "GET" && id === undefined) {
        return sendJson(res, 200, state.listAssessments({ offset: 0, limit: Number.MAX_SAFE_INTEGER }).data);
      }
      if (method === "POST" && id === undefined) return sendJson(res, 201, state.createAssessment(fields).assessment);
      if (method === "PATCH" && id !== undefined) {
        const stage = fields.stage as (typeof VM_ASSESSMENT_STAGES)[number];
        if (!VM_ASSESSMENT_STAGES.includes(stage)) throw badRequest(new Error(`stage: one of ${VM_ASSESSMENT_STAGES.join(", ")}`));
        return sendJson(res, 200, state.setStage(id, stage));
      }
      if (method === "DELETE" && id !== undefined) {
        state.deleteAssessment(id);
        return sendJson(res, 200, { ok: true });
      }
    }
    if (resource === "vulnerabilities") {
      if (method === "GET" && id === undefined) {
        const assessmentId = url.searchParams.get(VM_QUERY.assessmentId) ?? undefined;
        return sendJson(res, 200, state.listVulnerabilities({ offset: 0, limit: Number.MAX_SAFE_INTEGER }, { assessmentId }).data);
      }
      if (method === "GET" && id !== undefined) {
        const found = state.getVulnerability(id);
        return found ? sendJson(res, 200, found) : sendJson(res, 404, { message: `no vulnerability ${id}` });
      }
      // A status change made by someone in VM (not through the API Postura uses).
      if (method === "PATCH" && id !== undefined) {
        const status = fields.status as (typeof VM_THREAT_STATUSES)[number];
        if (!VM_THREAT_STATUSES.includes(status)) throw badRequest(new Error(`status: one of ${VM_THREAT_STATUSES.join(", ")}`));
        return sendJson(res, 200, state.setStatus(id, status).vulnerability);
      }
    }
    throw new HttpError(404, { message: `No control route for ${method} ${url.pathname}` });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? "GET";
    let record: VmRequestRecord | undefined;
    try {
      if (url.pathname === VM_CONTROL_PREFIX || url.pathname.startsWith(`${VM_CONTROL_PREFIX}/`)) {
        return await handleControl(req, res, url);
      }
      if (url.pathname === GATEWAY_LOGIN_PATH) return sendBody(res, 200, "text/html; charset=utf-8", GATEWAY_LOGIN_PAGE);
      record = {
        at: new Date().toISOString(),
        method,
        path: url.pathname,
        query: url.search,
        auth: null,
        keyName: null,
        headers: headerRecord(req),
        statusCode: "pending",
      };
      requests.push(record);
      const older = requests[requests.length - 1 - BODIES_KEPT];
      if (older) older.body = undefined;
      if (requests.length > REQUEST_LOG_CAP) requests.splice(0, requests.length - REQUEST_LOG_CAP);
      if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) {
        throw vmError(404, VM_ERROR_CODES.notFound, `API paths start with ${API_PREFIX}`);
      }
      await handleApi(req, res, url, record);
      if (record.statusCode === "pending") record.statusCode = res.statusCode;
    } catch (error) {
      const answer =
        error instanceof HttpError
          ? error
          : error instanceof VmInputError
            ? vmError(error.statusCode, error.code, error.message, error.field === undefined ? {} : { field: error.field })
            : vmError(500, VM_ERROR_CODES.internal, (error as Error).message);
      // Logged even when the answer had already started (serve then sends nothing more).
      if (record) record.statusCode = answer.statusCode;
      throw answer;
    }
  }

  const server = await serve({
    port: options.port,
    host: options.host,
    handle,
    onError: (error, res) => {
      const answer = error as HttpError;
      sendJson(res, answer.statusCode, answer.body, answer.headers);
    },
  });

  return {
    url: server.origin,
    keys: VM_SIMULATOR_KEYS,
    state,
    close: () => server.close(),
    reset,
    addKey,
    setKeyRevoked: (key, revoked) => keys.setRevoked(key, revoked),
    setGateway: (config) => {
      gateway = validateGateway(config);
    },
    clearGateway: () => {
      gateway = null;
    },
    injectFault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    requestLog: () => requests.map((r) => ({ ...r })),
  };
}
