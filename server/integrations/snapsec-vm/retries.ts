// Retries for one HTTP call (cockatiel): exponential backoff with jitter, Retry-After honoured, a bound on the total
// wait. Nothing here knows Snapsec: it could serve any integration client.
import { DelegateBackoff, handleWhen, retry } from "cockatiel";

export interface RetryOptions {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** The longest total wait between attempts of one call; a Retry-After beyond what is left stops retrying. */
  maxTotalWaitMs: number;
  /** The first wait; each next one doubles, up to maxDelayMs. Half of each wait is random (jitter). */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** A failure worth another attempt; `retryAfterMs` is what the server asked for, if anything. */
export class TransientFailure extends Error {
  /** Set when retries give up: how many attempts were made. */
  attempts = 1;

  constructor(
    readonly kind: "rate_limited" | "unavailable" | "network" | "timeout",
    readonly status?: number,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(kind, options);
    this.name = "TransientFailure";
  }
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export { parseRetryAfter } from "@/server/integrations/salt-security/client";

/**
 * Runs `call` (given the attempt number, from 1) until it succeeds, throws something other than a TransientFailure,
 * or the attempts or the wait budget run out; then the last TransientFailure is thrown with `attempts` set.
 */
export async function withRetries<T>(
  options: RetryOptions,
  call: (attempt: number) => Promise<T>,
  random: () => number = Math.random,
): Promise<{ value: T; attempts: number }> {
  let attempts = 0;
  let waitedMs = 0;
  const remaining = () => options.maxTotalWaitMs - waitedMs;
  const backoffFor = (attempt: number): number => {
    const full = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (attempt - 1));
    return full / 2 + random() * (full / 2);
  };
  const policy = retry(
    // Once the budget is spent, stop: retrying with no wait would only hammer a server that is struggling.
    handleWhen((error) => error instanceof TransientFailure && remaining() > 0 && (error.retryAfterMs ?? 0) <= remaining()),
    {
      maxAttempts: Math.max(0, options.maxAttempts - 1),
      backoff: new DelegateBackoff(({ attempt, result }) => {
        const asked = "error" in result && result.error instanceof TransientFailure ? result.error.retryAfterMs : undefined;
        const delay = Math.max(0, Math.min(asked ?? backoffFor(attempt), remaining()));
        waitedMs += delay;
        return delay;
      }),
    },
  );
  try {
    const value = await policy.execute(() => call(++attempts));
    return { value, attempts };
  } catch (error) {
    if (error instanceof TransientFailure) error.attempts = attempts;
    throw error;
  }
}
