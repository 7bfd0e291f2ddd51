import { afterEach, describe, expect, it, vi } from "vitest";
import { parseRetryAfter, RetriesExhausted, withRetries, type RetryOptions } from "./exchange";

const options: RetryOptions = { maxAttempts: 4, maxTotalWaitMs: 1_000, initialDelayMs: 20, maxDelayMs: 50, jitter: "half" };

/** Fails `failures` times with `failure()`, then succeeds; records when each attempt started. */
function flaky(failures: number, failure: () => Error = () => new RetriesExhausted("unavailable", 503)) {
  const startedAt: number[] = [];
  const call = async (attempt: number) => {
    startedAt.push(performance.now());
    if (attempt <= failures) throw failure();
    return "ok";
  };
  const waits = () => startedAt.slice(1).map((t, i) => t - (startedAt[i] as number));
  return { call, startedAt, waits };
}

/** cockatiel's jitter draws from Math.random. */
const randomIs = (value: number) => vi.spyOn(Math, "random").mockReturnValue(value);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("withRetries", () => {
  it("doubles the wait from the first delay, with half jitter on the upper half", async () => {
    randomIs(0.999);
    const { call, waits } = flaky(3);
    const result = await withRetries(options, call);
    expect(result).toEqual({ value: "ok", attempts: 4 });
    const [first, second, third] = waits();
    // 20, 40, then 50 (the cap) with random ≈ 1; timers may fire late on a busy machine, never early.
    expect(first).toBeGreaterThanOrEqual(18);
    expect(second).toBeGreaterThanOrEqual(38);
    expect(third).toBeGreaterThanOrEqual(48);
  });

  it("with half jitter never waits less than half the step", async () => {
    randomIs(0);
    const { call, waits } = flaky(2);
    await withRetries(options, call);
    const [first, second] = waits();
    expect(first).toBeGreaterThanOrEqual(9);
    expect(second).toBeGreaterThanOrEqual(19);
  });

  it("waits what Retry-After asks for instead of its own backoff", async () => {
    randomIs(0);
    const { call, waits } = flaky(1, () => new RetriesExhausted("rate_limited", 429, 120));
    await withRetries(options, call);
    expect(waits()[0]).toBeGreaterThanOrEqual(119);
  });

  it("gives up at once on a Retry-After beyond what is left of the budget, saying how many attempts it made", async () => {
    const { call, startedAt } = flaky(5, () => new RetriesExhausted("rate_limited", 429, 5_000));
    const error = await withRetries({ ...options, shortenLastWait: true }, call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect((error as RetriesExhausted).attempts).toBe(1);
    expect(startedAt).toHaveLength(1);
  });

  it("with shortenLastWait, waits what is left of the budget, then stops once it is spent", async () => {
    randomIs(0.999);
    const { call, startedAt } = flaky(10);
    const error = await withRetries({ ...options, maxAttempts: 10, maxTotalWaitMs: 45, shortenLastWait: true }, call).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RetriesExhausted);
    // Waits 19, then the 26 left of 45; then nothing is left, so the third failure is the last.
    expect(startedAt).toHaveLength(3);
    expect((error as RetriesExhausted).attempts).toBe(3);
  });

  it("without shortenLastWait, stops as soon as a backoff wait would cross the budget", async () => {
    randomIs(0.999);
    const { call, startedAt } = flaky(10);
    const error = await withRetries({ ...options, maxAttempts: 10, maxTotalWaitMs: 45 }, call).catch((e: unknown) => e);
    // Waits 19; the next (39) would cross 45, so the second failure is the last.
    expect(startedAt).toHaveLength(2);
    expect((error as RetriesExhausted).attempts).toBe(2);
  });

  it("does not retry what is not transient", async () => {
    const { call, startedAt } = flaky(1, () => new Error("bad request"));
    await expect(withRetries(options, call)).rejects.toThrow("bad request");
    expect(startedAt).toHaveLength(1);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-11-01T00:00:00.000Z");
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter("Sun, 01 Nov 2026 00:00:03 GMT", now)).toBe(3000);
    expect(parseRetryAfter("Sat, 31 Oct 2026 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});
