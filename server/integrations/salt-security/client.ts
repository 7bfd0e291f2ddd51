// Typed HTTP client for Salt Security's API: auth, pagination, zod-checked answers, retries, classified errors.
import { z } from "zod";
import {
  classifyRetryFailure,
  createExchange,
  normaliseBaseUrl,
  type HttpAnswer,
  type RetryOptions,
} from "../http/exchange";
import { describeSchemaError, parseJsonAs } from "../http/json";
import {
  SALT_DEFAULT_PAGE_SIZE,
  SALT_GAP_ID_FILTER,
  SALT_MAX_PAGE_SIZE,
  SALT_PATHS,
  SALT_SCOPES,
  WRITE_PROBE_BODY,
  saysExpired,
  writeBackBody,
  type SaltScope,
} from "./conventions";
import { SaltError, saltErrors } from "./errors";
import { validateCustomHeaders } from "@/server/integrations/http/headers";
import { otherRegion, saltBaseUrl, type SaltRegion } from "./regions";
import {
  pageSchema,
  postureGapSchema,
  saltEndpointSchema,
  saltErrorBodySchema,
  saltHostSchema,
  writeBackResponseSchema,
  type PostureGap,
  type SaltEndpoint,
  type SaltHost,
  type SaltSeverity,
  type SaltStatus,
} from "./schemas";

import { POSTURA_USER_AGENT } from "../http/exchange";

export type SaltRetryOptions = RetryOptions;

export interface SaltClientOptions {
  region: SaltRegion;
  /** Trimmed before use; never logged and never placed in an error message. */
  apiKey: string;
  /** Overrides the region's base URL (default: regions.ts, itself overridable by SALT_US_BASE_URL / SALT_EU_BASE_URL). */
  baseUrl?: string;
  /** Where a refused key is tried to detect a wrong region (default: the other region's base URL). */
  otherRegionBaseUrl?: string;
  customHeaders?: Record<string, string>;
  userAgent?: string;
  /** Per attempt, covering the whole response body (default 15 s). */
  timeoutMs?: number;
  /** Rows per page for the list methods (1..1000, default 500). */
  pageSize?: number;
  retry?: SaltRetryOptions;
  fetchImpl?: typeof fetch;
}

export interface PostureGapFilter {
  host?: string;
  status?: SaltStatus;
  severity?: SaltSeverity;
}

/** A row of a list page that does not match Salt's documented shape: where it was and what is wrong with it. */
export interface InvalidSaltRecord {
  /** The row's own id field when it has a usable one (raw, not yet cleaned). */
  id: string | null;
  /** The first problem, naming the field, e.g. "detected: expected a date-time string". */
  problem: string;
}

export interface ListOptions {
  /**
   * Called for each row that fails validation, which is then left out of its page; without it, one bad row fails
   * the page (and the listing) with an unexpected-response error.
   */
  onInvalidRecord?: (record: InvalidSaltRecord) => void;
}

export interface SaltClient {
  readonly region: SaltRegion;
  readonly baseUrl: string;
  listHosts(): AsyncIterable<SaltHost[]>;
  listEndpoints(filter?: { host?: string }, options?: ListOptions): AsyncIterable<SaltEndpoint[]>;
  listPostureGaps(filter?: PostureGapFilter, options?: ListOptions): AsyncIterable<PostureGap[]>;
  /** null when Salt has no gap with this id. */
  getPostureGap(postureGapId: string): Promise<PostureGap | null>;
  /** Idempotent: when the gap already has `status`, nothing is written and `changed` is false. */
  setPostureGapStatus(postureGapId: string, status: SaltStatus): Promise<{ changed: boolean; postureGap: PostureGap }>;
  /** Reads the first host (limit=1&offset=0), then probes write scope without side effects. Throws SaltError. */
  validateKey(): Promise<{ ok: true; canWriteBack: boolean }>;
}

type RawResponse = HttpAnswer;

interface RequestSpec {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export function createSaltClient(options: SaltClientOptions): SaltClient {
  const apiKey = options.apiKey.trim();
  if (apiKey === "") throw saltErrors.invalidKey(0);
  const region = options.region;
  const baseUrl = normaliseBaseUrl(options.baseUrl ?? saltBaseUrl(region), "The Salt base URL");
  const otherBaseUrl = normaliseBaseUrl(options.otherRegionBaseUrl ?? saltBaseUrl(otherRegion(region)), "The Salt base URL");
  const customHeaders = validateCustomHeaders(options.customHeaders ?? {});
  const userAgent = options.userAgent ?? POSTURA_USER_AGENT;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const pageSize = options.pageSize ?? SALT_DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SALT_MAX_PAGE_SIZE) {
    throw new Error(`pageSize must be an integer from 1 to ${SALT_MAX_PAGE_SIZE}`);
  }
  const http = createExchange({ timeoutMs, retry: options.retry, fetchImpl: options.fetchImpl });

  function url(base: string, spec: RequestSpec): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const qs = params.toString();
    return `${base}${spec.path}${qs ? `?${qs}` : ""}`;
  }

  function request(base: string, spec: RequestSpec) {
    return {
      method: spec.method,
      url: url(base, spec),
      headers: {
        ...customHeaders,
        accept: "application/json",
        authorization: `Bearer ${apiKey}`,
        "user-agent": userAgent,
        ...(spec.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    };
  }

  /** Retries 429, 5xx, network errors and timeouts (see ../http/exchange.ts); any other answer is returned. */
  async function exchange(spec: RequestSpec): Promise<RawResponse> {
    try {
      return await http.send(request(baseUrl, spec));
    } catch (error) {
      throw classifyRetryFailure(error, saltErrors, { timeoutMs, baseUrl });
    }
  }

  function errorBody(raw: RawResponse): z.output<typeof saltErrorBodySchema> {
    try {
      const parsed = saltErrorBodySchema.safeParse(JSON.parse(raw.text));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  /** A key refused here but accepted (200, or 403 for a scope) by the other region belongs to the other region. */
  async function keyWorksInOtherRegion(): Promise<boolean> {
    try {
      const raw = await http.once(request(otherBaseUrl, { method: "GET", path: SALT_PATHS.hosts, query: { limit: 1, offset: 0 } }));
      return (raw.status >= 200 && raw.status < 300) || raw.status === 403;
    } catch {
      return false;
    }
  }

  async function failure(raw: RawResponse, spec: RequestSpec): Promise<SaltError> {
    const body = errorBody(raw);
    if (raw.status === 401) {
      if (saysExpired(body.errorCode, body.message)) return saltErrors.expiredKey(401);
      if (await keyWorksInOtherRegion()) return saltErrors.wrongRegion(otherRegion(region));
      return saltErrors.invalidKey(401);
    }
    if (raw.status === 403) {
      const named = [body.requiredScope, body.message].join(" ").match(/perm-(viewer|executor)/)?.[0];
      const scope: SaltScope =
        (named as SaltScope | undefined) ?? (spec.method === "GET" ? SALT_SCOPES.viewer : SALT_SCOPES.executor);
      return saltErrors.missingScope(scope, 403);
    }
    return saltErrors.unexpectedResponse(`HTTP ${raw.status} for ${spec.method} ${spec.path}`, { status: raw.status });
  }

  function parseJson<S extends z.ZodType>(raw: RawResponse, schema: S): z.output<S> {
    return parseJsonAs(raw.text, schema, (detail, field) =>
      saltErrors.unexpectedResponse(detail, field === undefined ? { status: raw.status } : { status: raw.status, field }),
    );
  }

  async function requestJson<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.output<S>> {
    const raw = await exchange(spec);
    if (raw.status < 200 || raw.status >= 300) throw await failure(raw, spec);
    return parseJson(raw, schema);
  }

  /** Holds one page at a time. A page shorter than the limit is the last; endOffset is the next page's offset. */
  async function* pages<T extends z.ZodType>(
    path: string,
    item: T,
    filter: Record<string, string | undefined>,
    options: ListOptions = {},
    idField?: string,
  ): AsyncGenerator<z.output<T>[]> {
    const { onInvalidRecord } = options;
    // Lenient listing checks the envelope, then each row on its own, so one bad row costs only itself.
    const schema = onInvalidRecord ? pageSchema(z.unknown()) : pageSchema(item);
    let offset = 0;
    for (;;) {
      const page = await requestJson({ method: "GET", path, query: { ...filter, limit: pageSize, offset } }, schema);
      const received = page.response as unknown[];
      let rows = received as z.output<T>[];
      if (onInvalidRecord) {
        rows = [];
        for (const row of received) {
          const parsed = item.safeParse(row);
          if (parsed.success) {
            rows.push(parsed.data as z.output<T>);
            continue;
          }
          const id = idField && typeof row === "object" && row !== null ? (row as Record<string, unknown>)[idField] : undefined;
          onInvalidRecord({ id: typeof id === "string" && id !== "" ? id : null, problem: describeSchemaError(parsed.error).message });
        }
      }
      if (rows.length > 0) yield rows;
      if (received.length < pageSize) return;
      if (page.endOffset <= offset) {
        throw saltErrors.unexpectedResponse(`endOffset ${page.endOffset} does not move past offset ${offset}`, {
          field: "endOffset",
        });
      }
      offset = page.endOffset;
    }
  }

  async function getPostureGap(postureGapId: string): Promise<PostureGap | null> {
    const page = await requestJson(
      { method: "GET", path: SALT_PATHS.postureGaps, query: { [SALT_GAP_ID_FILTER]: postureGapId, limit: 1, offset: 0 } },
      pageSchema(postureGapSchema),
    );
    // Guards against a server that ignores the filter and returns some other gap.
    return page.response.find((gap) => gap.postureGapId === postureGapId) ?? null;
  }

  return {
    region,
    baseUrl,
    listHosts: () => pages(SALT_PATHS.hosts, saltHostSchema, {}),
    listEndpoints: (filter = {}, options = {}) =>
      pages(SALT_PATHS.endpoints, saltEndpointSchema, { host: filter.host }, options, "endpointId"),
    listPostureGaps: (filter = {}, options = {}) =>
      pages(
        SALT_PATHS.postureGaps,
        postureGapSchema,
        { host: filter.host, status: filter.status, severity: filter.severity },
        options,
        "postureGapId",
      ),
    getPostureGap,
    async setPostureGapStatus(postureGapId, status) {
      const current = await getPostureGap(postureGapId);
      if (!current) throw saltErrors.notFound(`posture gap with id ${postureGapId}`);
      if (current.status === status) return { changed: false, postureGap: current };
      const spec: RequestSpec = { method: "POST", path: SALT_PATHS.postureGaps, body: writeBackBody(postureGapId, status) };
      const raw = await exchange(spec);
      if (raw.status === 404) throw saltErrors.notFound(`posture gap with id ${postureGapId}`);
      if (raw.status < 200 || raw.status >= 300) throw await failure(raw, spec);
      const written = parseJson(raw, writeBackResponseSchema);
      return { changed: true, postureGap: written.response };
    },
    async validateKey() {
      await requestJson(
        { method: "GET", path: SALT_PATHS.hosts, query: { limit: 1, offset: 0 } },
        pageSchema(saltHostSchema),
      );
      const spec: RequestSpec = { method: "POST", path: SALT_PATHS.postureGaps, body: WRITE_PROBE_BODY };
      const raw = await exchange(spec);
      if (raw.status === 403) return { ok: true, canWriteBack: false };
      if ((raw.status >= 200 && raw.status < 300) || raw.status === 400 || raw.status === 422) {
        return { ok: true, canWriteBack: true };
      }
      throw await failure(raw, spec);
    },
  };
}
