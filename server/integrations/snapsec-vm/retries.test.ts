import { describe, expect, it } from "vitest";
import { TransientFailure, withRetries, type RetryOptions } from "./retries";

const options: RetryOptions = { maxAttempts: 4, maxTotalWaitMs: 1_000, initialDelayMs: 20, maxDelayMs: 50 };

/** Fails `failures` times with `failure()`, then succeeds; records when each attempt started. */
function flaky(failures: number, failure: () => Error = () => new TransientFailure("unavailable", 503)) {
  const startedAt: number[] = [];
  const call = async (attempt: number) => {
    startedAt.push(performance.now());
    if (attempt <= failures) throw failure();
    return "ok";
  };
  const waits = () => startedAt.slice(1).map((t, i) => t - (startedAt[i] as number));
  return { call, startedAt, waits };
}

describe("withRetries", () => {
  it("doubles the wait from the first delay, with jitter on the upper half", async () => {
    const { call, waits } = flaky(3);
    const result = await withRetries(options, call, () => 0.999);
    expect(result).toEqual({ value: "ok", attempts: 4 });
    const [first, second, third] = waits();
    // 20, 40, then 50 (the cap) with random ≈ 1; timers may fire late on a busy machine, never early.
    expect(first).toBeGreaterThanOrEqual(19);
    expect(second).toBeGreaterThanOrEqual(39);
    expect(third).toBeGreaterThanOrEqual(49);
  });

  it("waits what Retry-After asks for instead of its own backoff", async () => {
    const { call, waits } = flaky(1, () => new TransientFailure("rate_limited", 429, 120));
    await withRetries(options, call, () => 0);
    expect(waits()[0]).toBeGreaterThanOrEqual(119);
  });

  it("gives up at once on a Retry-After beyond what is left of the budget, saying how many attempts it made", async () => {
    const { call, startedAt } = flaky(5, () => new TransientFailure("rate_limited", 429, 5_000));
    const error = await withRetries(options, call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientFailure);
    expect((error as TransientFailure).attempts).toBe(1);
    expect(startedAt).toHaveLength(1);
  });

  it("stops when the wait budget is spent, not only after the attempts", async () => {
    const { call, startedAt } = flaky(10);
    const error = await withRetries({ ...options, maxAttempts: 10, maxTotalWaitMs: 45 }, call, () => 0.999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientFailure);
    // Waits 20, then the 25 left of 45; then nothing is left, so the third failure is the last.
    expect(startedAt).toHaveLength(3);
    expect((error as TransientFailure).attempts).toBe(3);
  });

  it("does not retry what is not transient", async () => {
    const { call, startedAt } = flaky(1, () => new Error("bad request"));
    await expect(withRetries(options, call)).rejects.toThrow("bad request");
    expect(startedAt).toHaveLength(1);
  });
});
