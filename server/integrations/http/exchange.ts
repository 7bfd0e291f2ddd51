// One HTTP exchange for an integration client, with retries: 429 and 5xx (honouring Retry-After), network errors and
// timeouts are retried by a cockatiel policy within an attempt and total-wait budget; any other answer is returned
// for the client to classify in its vendor's terms.
import { DelegateBackoff, fullJitterGenerator, halfJitterGenerator, handleWhen, retry } from "cockatiel";
import packageJson from "@/package.json";

export const POSTURA_USER_AGENT = `Postura/${packageJson.version}`;

export interface RetryOptions {
  /** Attempts per request, the first included (default 4). */
  maxAttempts?: number;
  /** Longest total time spent waiting between attempts of one request (default 30 s). */
  maxTotalWaitMs?: number;
  /** Base of the exponential backoff: the n-th wait is drawn below min(maxDelayMs, initialDelayMs · 2^n) (default 250). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** "full": each wait random in [0, d) (default); "half": in [d/2, d), so the waits surely grow. */
  jitter?: "full" | "half";
  /**
   * When a backoff wait would cross maxTotalWaitMs: stop at once (false, default), or wait what is left of the budget
   * and try once more (true). A Retry-After beyond the budget always stops: waiting less than asked only earns a 429.
   */
  shortenLastWait?: boolean;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 4,
  maxTotalWaitMs: 30_000,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  jitter: "full",
  shortenLastWait: false,
};

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** Attempts made, the successful one included. */
  attempts: number;
}

export type RetryableKind = "rate_limited" | "unavailable" | "network" | "timeout";

/** A failure worth retrying; when the policy gives up it is thrown to the client with the number of attempts. */
export class RetriesExhausted extends Error {
  attempts = 1;

  constructor(
    readonly kind: RetryableKind,
    readonly status?: number,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(kind, options);
    this.name = "RetriesExhausted";
  }
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

/** Checks an http(s) URL and drops trailing slashes; `label` names it in the error ("The Salt base URL"). */
export function normaliseBaseUrl(url: string, label: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("protocol");
  } catch {
    throw new Error(`${label} must be an http(s) URL.`);
  }
  return url.replace(/\/+$/, "");
}

/** The four retryable failures in a vendor's words: each integration's error factory has these. */
export interface RetryFailureErrors {
  rateLimited(attempts: number, retryAfterMs?: number): Error;
  unavailable(status: number, attempts: number, retryAfterMs?: number): Error;
  timeout(timeoutMs: number, attempts: number): Error;
  networkUnreachable(baseUrl: string, attempts: number, cause?: unknown): Error;
}

/** Turns a RetriesExhausted into the integration's classified error; anything else is returned unchanged. */
export function classifyRetryFailure(error: unknown, errors: RetryFailureErrors, context: { timeoutMs: number; baseUrl: string }): unknown {
  if (!(error instanceof RetriesExhausted)) return error;
  switch (error.kind) {
    case "rate_limited":
      return errors.rateLimited(error.attempts, error.retryAfterMs);
    case "unavailable":
      return errors.unavailable(error.status ?? 503, error.attempts, error.retryAfterMs);
    case "timeout":
      return errors.timeout(context.timeoutMs, error.attempts);
    case "network":
      return errors.networkUnreachable(context.baseUrl, error.attempts, error.cause);
  }
}

/** localhost, 127.0.0.0/8 or ::1: the only hosts a credential may be sent to over plain http. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** One HTTP attempt, for a client's logs and metrics. */
export interface AttemptEvent {
  request: HttpRequest;
  /** From 1. */
  attempt: number;
  /** The HTTP status, or what happened instead. */
  outcome: number | "timeout" | "network";
  durationMs: number;
}

export interface ExchangeOptions {
  /** Per attempt, covering the whole response body. */
  timeoutMs: number;
  retry?: RetryOptions;
  fetchImpl?: typeof fetch;
  /** Called once per attempt, after it ends. */
  onAttempt?: (event: AttemptEvent) => void;
}

/**
 * Runs `call` (given the attempt number, from 1) until it succeeds, throws something other than RetriesExhausted, or
 * the attempts or the wait budget run out; then the last RetriesExhausted is thrown with `attempts` set. cockatiel
 * drives the retries; the closures decide each wait: Retry-After when the vendor sent one, otherwise exponential
 * backoff with jitter.
 */
export async function withRetries<T>(options: RetryOptions, call: (attempt: number) => Promise<T>): Promise<{ value: T; attempts: number }> {
  const retryOptions = { ...DEFAULT_RETRY, ...options };
  const generator = retryOptions.jitter === "half" ? halfJitterGenerator : fullJitterGenerator;
  let attempts = 0;
  let waitedMs = 0;
  let nextDelayMs = 0;
  const shouldRetry = (error: unknown): boolean => {
    if (!(error instanceof RetriesExhausted)) return false;
    const remaining = retryOptions.maxTotalWaitMs - waitedMs;
    if (error.retryAfterMs !== undefined) {
      if (error.retryAfterMs > remaining) return false;
      nextDelayMs = error.retryAfterMs;
      return true;
    }
    const [backoff] = generator(attempts - 1, {
      generator,
      initialDelay: retryOptions.initialDelayMs,
      maxDelay: retryOptions.maxDelayMs,
      exponent: 2,
    });
    if (backoff <= remaining) {
      nextDelayMs = backoff;
      return true;
    }
    // Once the budget is spent, stop: retrying with no wait would only hammer a server that is struggling.
    if (!retryOptions.shortenLastWait || remaining <= 0) return false;
    nextDelayMs = remaining;
    return true;
  };
  const policy = retry(handleWhen(shouldRetry), {
    maxAttempts: Math.max(0, retryOptions.maxAttempts - 1),
    backoff: new DelegateBackoff(() => {
      waitedMs += nextDelayMs;
      return nextDelayMs;
    }),
  });
  try {
    const value = await policy.execute(() => call(++attempts));
    return { value, attempts };
  } catch (error) {
    if (error instanceof RetriesExhausted) error.attempts = attempts;
    throw error;
  }
}

export interface Exchange {
  /** One attempt, no retry. Throws RetriesExhausted (attempts = 1) for 429, 5xx, network errors and timeouts. */
  once(request: HttpRequest): Promise<HttpAnswer>;
  /** Attempts until an answer that is not retryable, or the budget is spent (then throws RetriesExhausted). */
  send(request: HttpRequest): Promise<HttpAnswer>;
}

export function createExchange(options: ExchangeOptions): Exchange {
  const fetchImpl = options.fetchImpl ?? fetch;

  async function attempt(request: HttpRequest, attemptNumber: number): Promise<HttpAnswer> {
    const started = performance.now();
    const report = (outcome: AttemptEvent["outcome"]) =>
      options.onAttempt?.({ request, attempt: attemptNumber, outcome, durationMs: Math.round(performance.now() - started) });
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const kind = isTimeout(error) ? "timeout" : "network";
      report(kind);
      throw new RetriesExhausted(kind, undefined, undefined, { cause: error });
    }
    report(response.status);
    // Overload and outages, from the vendor or from a proxy in front of it (which answers HTML): worth another attempt.
    if (response.status === 429) {
      throw new RetriesExhausted("rate_limited", 429, parseRetryAfter(response.headers.get("retry-after")));
    }
    if (response.status >= 500) {
      throw new RetriesExhausted("unavailable", response.status, parseRetryAfter(response.headers.get("retry-after")));
    }
    return { status: response.status, headers: response.headers, text, attempts: 1 };
  }

  return {
    once: (request) => attempt(request, 1),
    async send(request) {
      const { value, attempts } = await withRetries(options.retry ?? {}, (n) => attempt(request, n));
      return { ...value, attempts };
    },
  };
}
