// Typed HTTP client for a Snapsec VM workspace: the key as sent (never trimmed), custom headers, zod-checked answers,
// retries honouring Retry-After, timeouts, and every failure classified for the user. Paths and bodies: ./contract.ts.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import {
  classifyRetryFailure,
  createExchange,
  normaliseBaseUrl,
  POSTURA_USER_AGENT,
  type HttpRequest,
  type RetryOptions,
} from "@/server/integrations/http/exchange";
import { parseJsonAs } from "@/server/integrations/http/json";
import {
  API_KEY_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  VM_ERROR_CODES,
  VM_LIMITS,
  VM_PATHS,
  VM_QUERY,
  VM_ROLES,
  vmAssessmentSchema,
  vmBulkUpsertResponseSchema,
  vmErrorBodySchema,
  vmOneSchema,
  vmPageSchema,
  vmSingleUpsertResponseSchema,
  vmStatusResponseSchema,
  vmVulnerabilitySchema,
  vmWorkspaceSchema,
  type VmAssessment,
  type VmItemResult,
  type VmNewAssessment,
  type VmRole,
  type VmThreatStatus,
  type VmUpsertResult,
  type VmVulnerability,
  type VmVulnerabilityInput,
} from "./contract";
import { SnapsecVmError, vmErrors } from "./errors";
import { redactHeaders, validateVmCustomHeaders } from "./headers";

export interface SnapsecVmClientOptions {
  /** The workspace's URL, e.g. https://acme.vm.snapsec.example (paths are appended). */
  baseUrl: string;
  /** Sent exactly as given: a key with spaces at either end is refused before any request (key_has_spaces). */
  apiKey: string;
  /** "x-api-key" (default) or "bearer" (`Authorization: Bearer <key>`). */
  authScheme?: "x-api-key" | "bearer";
  /** Validated at creation (typed invalid_custom_headers error); values never appear in errors or logs. */
  customHeaders?: Record<string, string>;
  userAgent?: string;
  /** Per attempt, covering the whole answer (default 15 s): a server that hangs costs this, then a retry. */
  timeoutMs?: number;
  /** Default: 4 attempts (Snapsec's own agents retry 3 times), from 2 s doubling, at most 30 s of waiting. */
  retry?: RetryOptions;
  /** Items per bulk call, 1..500 (default 500). */
  batchSize?: number;
  /** Rows per list page, 1..500 (default 500). */
  pageSize?: number;
  /** Called once per HTTP attempt, for logs and metrics; header values are already redacted. */
  onRequest?: (event: VmRequestEvent) => void;
  fetchImpl?: typeof fetch;
}

export interface VmRequestEvent {
  method: string;
  path: string;
  attempt: number;
  /** The HTTP status, or what happened instead. */
  outcome: number | "timeout" | "network";
  durationMs: number;
  /** Every header sent, values replaced by "[redacted]" for the key and custom headers. */
  headers: Record<string, string>;
}

export interface VmConnection {
  workspace: { id: string; name: string };
  keyName: string;
  role: VmRole;
  /** Admins and managers may create assessments and update vulnerabilities; auditors may not. */
  canWrite: boolean;
  /** The custom header names that were sent (their values never leave the client). */
  customHeaderNames: string[];
}

export interface VmBulkUpsertReport {
  /** One result per item given, in the same order; `index` is the item's position in the whole call. */
  results: VmItemResult[];
  summary: Record<VmUpsertResult, number>;
  /** How many HTTP calls it took. */
  batches: number;
}

export interface SnapsecVmClient {
  readonly baseUrl: string;
  /** Checks the key and the custom headers with a read that changes nothing. Throws SnapsecVmError. */
  checkConnection(): Promise<VmConnection>;
  listAssessments(): Promise<VmAssessment[]>;
  /** null when the workspace has no such assessment (deleted in VM). */
  getAssessment(assessmentId: string): Promise<VmAssessment | null>;
  /** Safe to retry: one idempotency key per call, so a lost answer never creates a second assessment. */
  createAssessment(input: VmNewAssessment): Promise<VmAssessment>;
  upsertVulnerability(
    assessmentId: string,
    vulnerability: VmVulnerabilityInput,
  ): Promise<{ result: Exclude<VmUpsertResult, "error">; vulnerability: VmVulnerability }>;
  /**
   * Upserts by external id in batches of at most 500, one result per item. Idempotent: sending the same items again
   * (after a crash or a failed batch) updates or leaves unchanged, never duplicates. An external id given twice in
   * one call is sent once; the repeat gets an error result. A batch that fails as a whole throws, with
   * `details.attempts`; items of earlier batches are already stored.
   */
  upsertVulnerabilities(assessmentId: string, vulnerabilities: readonly VmVulnerabilityInput[]): Promise<VmBulkUpsertReport>;
  /** Idempotent: `changed` is false when the record already has this status. */
  updateStatus(externalId: string, status: VmThreatStatus): Promise<{ changed: boolean; vulnerability: VmVulnerability }>;
  /** null when VM has no record with this external id. */
  findByExternalId(externalId: string): Promise<VmVulnerability | null>;
  /** One page at a time, optionally one assessment's. */
  listVulnerabilities(filter?: { assessmentId?: string }): AsyncIterable<VmVulnerability[]>;
}

interface RequestSpec {
  method: HttpRequest["method"];
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** What the call does, in the user's words, for a 403 ("create assessments"). */
  action: string;
  /** For a 404 ASSESSMENT_NOT_FOUND. */
  assessmentId?: string;
}

interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

/** Each wait at least half its doubling step, and the last one shortened to fit the budget rather than skipped. */
const VM_RETRY: RetryOptions = {
  maxAttempts: 4,
  maxTotalWaitMs: 30_000,
  initialDelayMs: 2_000,
  maxDelayMs: 16_000,
  jitter: "half",
  shortenLastWait: true,
};

function checkedBaseUrl(url: string): string {
  try {
    return normaliseBaseUrl(url, "The VM base URL");
  } catch {
    throw vmErrors.invalidBaseUrl();
  }
}

function checkedSize(name: string, value: number | undefined, max: number): number {
  const size = value ?? max;
  if (!Number.isInteger(size) || size < 1 || size > max) throw new RangeError(`${name} must be an integer from 1 to ${max}`);
  return size;
}

const looksLikeJson = (raw: RawResponse) => /\bjson\b/i.test(raw.contentType);

export function createSnapsecVmClient(options: SnapsecVmClientOptions): SnapsecVmClient {
  const apiKey = options.apiKey;
  // Spaces of any kind (no-break, zero-width, a byte-order mark) come from copying; nothing is trimmed silently.
  if (/[\s\u200b-\u200d\u2060\ufeff]/.test(apiKey)) throw vmErrors.keyHasSpaces();
  if (apiKey === "") throw vmErrors.invalidKey(0);
  // A header can only carry these; anything else could never be a key, and fetch would refuse to send it.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) throw vmErrors.malformedKey();
  const baseUrl = checkedBaseUrl(options.baseUrl);
  const customHeaders = validateVmCustomHeaders(options.customHeaders ?? {});
  const authHeaders: Record<string, string> =
    options.authScheme === "bearer" ? { authorization: `Bearer ${apiKey}` } : { [API_KEY_HEADER]: apiKey };
  const timeoutMs = options.timeoutMs ?? 15_000;
  const batchSize = checkedSize("batchSize", options.batchSize, VM_LIMITS.maxBatch);
  const pageSize = checkedSize("pageSize", options.pageSize, VM_LIMITS.pageMax);
  const userAgent = options.userAgent ?? POSTURA_USER_AGENT;
  // Values of one or two characters would blank out ordinary words; they are too short to be secrets anyway.
  const secrets = [apiKey, ...Object.values(customHeaders)].filter((s) => s.length >= 3);

  /** Server text may echo what it received; nothing secret leaves in an error message. */
  function scrub(text: string): string {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join("[redacted]");
    return out.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 300);
  }

  function urlOf(spec: RequestSpec): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(spec.query ?? {})) if (value !== undefined) params.set(name, String(value));
    const qs = params.toString();
    return `${baseUrl}${spec.path}${qs ? `?${qs}` : ""}`;
  }

  const redacted = redactHeaders({ ...customHeaders, ...authHeaders });
  const http = createExchange({
    timeoutMs,
    retry: { ...VM_RETRY, ...options.retry },
    fetchImpl: options.fetchImpl,
    onAttempt: ({ request, attempt, outcome, durationMs }) =>
      options.onRequest?.({
        method: request.method,
        // The path as the contract names it (no base URL prefix, no query).
        path: request.url.slice(baseUrl.length).split("?")[0] ?? "",
        attempt,
        outcome,
        durationMs,
        headers: { ...request.headers, ...redacted },
      }),
  });

  async function exchange(spec: RequestSpec): Promise<RawResponse> {
    const headers: Record<string, string> = {
      ...customHeaders,
      ...spec.headers,
      accept: "application/json",
      "user-agent": userAgent,
      ...(spec.body === undefined ? {} : { "content-type": "application/json" }),
      ...authHeaders,
    };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    try {
      const answer = await http.send({ method: spec.method, url: urlOf(spec), headers, body });
      return { status: answer.status, contentType: answer.headers.get("content-type") ?? "", text: answer.text };
    } catch (error) {
      throw classifyRetryFailure(error, vmErrors, { timeoutMs, baseUrl });
    }
  }

  /** VM's JSON error, or undefined when the body is something else. */
  function errorBody(raw: RawResponse): z.output<typeof vmErrorBodySchema>["error"] | undefined {
    if (!looksLikeJson(raw)) return undefined;
    try {
      return vmErrorBodySchema.safeParse(JSON.parse(raw.text)).data?.error;
    } catch {
      return undefined;
    }
  }

  function failure(raw: RawResponse, spec: RequestSpec): SnapsecVmError {
    if (!looksLikeJson(raw)) {
      // Cloudflare Access and API gateways answer a login page (403, or a redirect that ends in 200) instead of JSON.
      if (/text\/html/i.test(raw.contentType) || /^\s*</.test(raw.text)) return vmErrors.gatewayRefused(raw.status);
      return vmErrors.unexpectedResponse(`HTTP ${raw.status} with a ${raw.contentType || "untyped"} body`, {
        status: raw.status,
      });
    }
    const body = errorBody(raw);
    const code = body?.code;
    if (raw.status === 401) {
      return code === VM_ERROR_CODES.revokedKey ? vmErrors.revokedKey(401) : vmErrors.invalidKey(401);
    }
    if (raw.status === 403 && code === VM_ERROR_CODES.missingHeader) {
      return vmErrors.missingCustomHeader(body?.header === undefined ? undefined : scrub(body.header), 403);
    }
    if (raw.status === 403) {
      const role = VM_ROLES.find((r) => new RegExp(`\\b${r}\\b`, "i").test(body?.message ?? ""));
      return vmErrors.forbidden(spec.action, role, 403);
    }
    if (raw.status === 404 && code === VM_ERROR_CODES.assessmentNotFound && spec.assessmentId !== undefined) {
      return vmErrors.assessmentNotFound(spec.assessmentId);
    }
    if (raw.status === 404) {
      return vmErrors.unexpectedResponse(`HTTP 404 for ${spec.method} ${spec.path}`, { status: 404 });
    }
    if (raw.status >= 400 && raw.status < 500) {
      return vmErrors.rejected(scrub(body?.message ?? `HTTP ${raw.status}`), raw.status, body?.field && scrub(body.field));
    }
    return vmErrors.unexpectedResponse(`HTTP ${raw.status} for ${spec.method} ${spec.path}`, { status: raw.status });
  }

  /** A 2xx answer checked against the contract; a non-JSON one (a gateway's login page after a redirect) is a failure. */
  function parse<S extends z.ZodType>(raw: RawResponse, schema: S, spec: RequestSpec): z.output<S> {
    if (!looksLikeJson(raw)) throw failure(raw, spec);
    return parseJsonAs(raw.text, schema, (detail, field) =>
      vmErrors.unexpectedResponse(scrub(detail), field === undefined ? { status: raw.status } : { status: raw.status, field }),
    );
  }

  async function request<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.output<S>> {
    const raw = await exchange(spec);
    if (raw.status < 200 || raw.status >= 300) throw failure(raw, spec);
    return parse(raw, schema, spec);
  }

  async function* pages<T extends z.ZodType>(path: string, item: T, filter: Record<string, string | undefined>) {
    let offset: number | null = 0;
    while (offset !== null) {
      const page: { data: z.output<T>[]; nextOffset: number | null } = await request(
        { method: "GET", path, query: { ...filter, [VM_QUERY.limit]: pageSize, [VM_QUERY.offset]: offset }, action: "read" },
        vmPageSchema(item),
      );
      if (page.data.length > 0) yield page.data;
      if (page.nextOffset !== null && page.nextOffset <= offset) {
        throw vmErrors.unexpectedResponse(`nextOffset ${page.nextOffset} does not move past ${offset}`, { field: "nextOffset" });
      }
      offset = page.nextOffset;
    }
  }

  async function findByExternalId(externalId: string): Promise<VmVulnerability | null> {
    const page = await request(
      {
        method: "GET",
        path: VM_PATHS.vulnerabilities,
        query: { [VM_QUERY.externalId]: externalId, [VM_QUERY.limit]: 1, [VM_QUERY.offset]: 0 },
        action: "read vulnerabilities",
      },
      vmPageSchema(vmVulnerabilitySchema),
    );
    // Guards against a server that ignores the filter and returns some other record.
    return page.data.find((v) => v.externalId === externalId) ?? null;
  }

  async function bulkBatch(assessmentId: string, items: readonly VmVulnerabilityInput[]) {
    const answer = await request(
      {
        method: "POST",
        path: VM_PATHS.bulkUpsert,
        body: { assessmentId, vulnerabilities: items },
        action: "update vulnerabilities",
        assessmentId,
      },
      vmBulkUpsertResponseSchema,
    );
    const indexes = answer.results.map((r) => r.index).sort((a, b) => a - b);
    if (indexes.length !== items.length || indexes.some((index, i) => index !== i)) {
      throw vmErrors.unexpectedResponse(`${answer.results.length} results for ${items.length} items`, { field: "results" });
    }
    return answer.results;
  }

  return {
    baseUrl,
    async checkConnection() {
      const { data } = await request({ method: "GET", path: VM_PATHS.workspace, action: "read the workspace" }, vmWorkspaceSchema);
      return {
        workspace: data.workspace,
        keyName: data.key.name,
        role: data.key.role,
        canWrite: data.key.role !== "auditor",
        customHeaderNames: Object.keys(customHeaders),
      };
    },
    async listAssessments() {
      const all: VmAssessment[] = [];
      for await (const page of pages(VM_PATHS.assessments, vmAssessmentSchema, {})) all.push(...page);
      return all;
    },
    async getAssessment(assessmentId) {
      const spec: RequestSpec = { method: "GET", path: VM_PATHS.assessment(assessmentId), action: "read assessments", assessmentId };
      const raw = await exchange(spec);
      if (raw.status === 404 && errorBody(raw)?.code === VM_ERROR_CODES.assessmentNotFound) return null;
      if (raw.status < 200 || raw.status >= 300) throw failure(raw, spec);
      return parse(raw, vmOneSchema(vmAssessmentSchema), spec).data;
    },
    async createAssessment(input) {
      const spec: RequestSpec = {
        method: "POST",
        path: VM_PATHS.assessments,
        body: input,
        headers: { [IDEMPOTENCY_KEY_HEADER]: randomUUID() },
        action: "create assessments",
      };
      return (await request(spec, vmOneSchema(vmAssessmentSchema))).data;
    },
    async upsertVulnerability(assessmentId, vulnerability) {
      const answer = await request(
        {
          method: "PUT",
          path: VM_PATHS.byExternalId(vulnerability.externalId),
          body: { assessmentId, vulnerability },
          action: "update vulnerabilities",
          assessmentId,
        },
        vmSingleUpsertResponseSchema,
      );
      return { result: answer.result, vulnerability: answer.data };
    },
    async upsertVulnerabilities(assessmentId, vulnerabilities) {
      const results: VmItemResult[] = new Array<VmItemResult>(vulnerabilities.length);
      const firstIndex = new Map<string, number>();
      const toSend: { index: number; item: VmVulnerabilityInput }[] = [];
      vulnerabilities.forEach((item, index) => {
        const first = firstIndex.get(item.externalId);
        if (first === undefined) {
          firstIndex.set(item.externalId, index);
          toSend.push({ index, item });
        } else {
          results[index] = { index, externalId: item.externalId, result: "error", reason: `externalId: already given as item ${first}` };
        }
      });
      let batches = 0;
      for (let start = 0; start < toSend.length; start += batchSize) {
        const batch = toSend.slice(start, start + batchSize);
        const answered = await bulkBatch(
          assessmentId,
          batch.map((b) => b.item),
        );
        batches++;
        for (const result of answered) {
          const original = batch[result.index]?.index ?? result.index;
          results[original] = { ...result, index: original };
        }
      }
      const summary = { created: 0, updated: 0, unchanged: 0, error: 0 };
      for (const r of results) summary[r.result]++;
      return { results, summary, batches };
    },
    async updateStatus(externalId, status) {
      const spec: RequestSpec = { method: "PATCH", path: VM_PATHS.status(externalId), body: { status }, action: "update vulnerabilities" };
      const raw = await exchange(spec);
      if (raw.status === 404 && errorBody(raw)?.code === VM_ERROR_CODES.notFound) {
        throw vmErrors.notFound(`vulnerability with external id ${scrub(externalId)}`);
      }
      if (raw.status < 200 || raw.status >= 300) throw failure(raw, spec);
      const answer = parse(raw, vmStatusResponseSchema, spec);
      return { changed: answer.changed, vulnerability: answer.data };
    },
    findByExternalId,
    listVulnerabilities: (filter = {}) =>
      pages(VM_PATHS.vulnerabilities, vmVulnerabilitySchema, { [VM_QUERY.assessmentId]: filter.assessmentId }),
  };
}
