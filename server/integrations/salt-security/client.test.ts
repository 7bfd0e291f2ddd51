import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { POSTURA_USER_AGENT } from "@/server/integrations/http/exchange";
import { CustomHeadersError } from "@/server/integrations/http/headers";
import { rejectionOf, startReceiver, unusedLoopbackUrl } from "@/tools/simulator-kit/testing";
import { createSaltClient, type SaltClientOptions } from "./client";
import { SaltError, type SaltErrorCode } from "./errors";
import { saltBaseUrl } from "./regions";

let sim: SaltSimulator;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 42 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());
afterEach(() => vi.unstubAllEnvs());

/** Short waits so fault tests stay fast; each test that needs a different bound says so. */
function client(overrides: Partial<SaltClientOptions> = {}) {
  return createSaltClient({
    region: "us",
    apiKey: sim.keys.usFull.key,
    baseUrl: sim.baseUrls.us,
    otherRegionBaseUrl: sim.baseUrls.eu,
    timeoutMs: 2_000,
    retry: { maxAttempts: 4, maxTotalWaitMs: 3_000, initialDelayMs: 5, maxDelayMs: 40 },
    ...overrides,
  });
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, SaltError);

function expectClass(error: SaltError, code: SaltErrorCode) {
  expect({ code: error.code, message: error.message }).toEqual({ code, message: expect.any(String) });
  for (const key of Object.values(sim.keys)) expect(error.message).not.toContain(key.key);
  expect(JSON.stringify(error.details)).not.toContain("salt-");
}

const allGaps = () => sim.state.listPostureGaps({ offset: 0, limit: 1e9 }, {}).response;

describe("reads", () => {
  it("lists every host", async () => {
    const pages = await collect(client().listHosts());
    expect(pages.flat().map((h) => h.host)).toEqual(sim.state.listHosts({ offset: 0, limit: 1000 }).response.map((h) => h.host));
    expect(pages.flat()[0]).toMatchObject({ host: "api.acme-payments.com", endpointCount: 25, labels: expect.arrayContaining(["env:prod"]) });
  });

  it("lists endpoints of one host", async () => {
    const host = sim.state.listHosts({ offset: 3, limit: 1 }).response[0]?.host ?? "";
    const endpoints = (await collect(client().listEndpoints({ host }))).flat();
    expect(endpoints).toHaveLength(25);
    expect(new Set(endpoints.map((e) => e.host))).toEqual(new Set([host]));
    expect((await collect(client().listEndpoints())).flat()).toHaveLength(300);
  });

  it("lists posture gaps filtered by host, status and severity", async () => {
    const gaps = allGaps();
    const host = gaps[77]?.host ?? "";
    const byHost = (await collect(client().listPostureGaps({ host }))).flat();
    expect(byHost.map((g) => g.postureGapId)).toEqual(gaps.filter((g) => g.host === host).map((g) => g.postureGapId));
    const open = (await collect(client().listPostureGaps({ status: "Open" }))).flat();
    expect(open.length).toBe(gaps.filter((g) => g.status === "Open").length);
    expect(open.every((g) => g.status === "Open")).toBe(true);
    const critical = (await collect(client().listPostureGaps({ host, severity: "Critical", status: "Open" }))).flat();
    expect(critical.map((g) => g.postureGapId)).toEqual(
      gaps.filter((g) => g.host === host && g.severity === "Critical" && g.status === "Open").map((g) => g.postureGapId),
    );
  });

  it("reads one posture gap, or null", async () => {
    const gap = allGaps()[12];
    expect(await client().getPostureGap(gap?.postureGapId ?? "")).toEqual(gap);
    expect(await client().getPostureGap("does-not-exist")).toBeNull();
  });
});

describe("pagination", () => {
  it("yields nothing for an empty result, in one request", async () => {
    expect(await collect(client().listPostureGaps({ host: "no-such-host.example.com" }))).toEqual([]);
    expect(sim.requestLog()).toHaveLength(1);
  });

  it("stops after exactly one full page (the next read is empty)", async () => {
    const host = sim.state.listHosts({ offset: 0, limit: 1 }).response[0]?.host ?? "";
    const pages = await collect(client({ pageSize: 25 }).listEndpoints({ host }));
    expect(pages.map((p) => p.length)).toEqual([25]);
    expect(sim.requestLog().map((r) => r.query)).toEqual([
      `?host=${encodeURIComponent(host)}&limit=25&offset=0`,
      `?host=${encodeURIComponent(host)}&limit=25&offset=25`,
    ]);
  });

  it("ends on a last partial page without another request", async () => {
    const host = sim.state.listHosts({ offset: 0, limit: 1 }).response[0]?.host ?? "";
    const pages = await collect(client({ pageSize: 10 }).listEndpoints({ host }));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(sim.requestLog()).toHaveLength(3);
  });

  it("returns every row exactly once, whatever the page size", async () => {
    const expected = sim.state.listEndpoints({ offset: 0, limit: 1000 }, {}).response.map((e) => e.endpointId);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 400 }), async (pageSize) => {
        const pages = await collect(client({ pageSize }).listEndpoints());
        expect(pages.flat().map((e) => e.endpointId)).toEqual(expected);
        expect(pages.every((p) => p.length <= pageSize)).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it("reads lazily: one page in memory, the next fetched only when asked for", async () => {
    const iterator = client({ pageSize: 100 }).listPostureGaps()[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(sim.requestLog()).toHaveLength(1);
    await iterator.return?.();
    expect(sim.requestLog()).toHaveLength(1);
  });

  it("rejects a page size the API does not allow", () => {
    expect(() => client({ pageSize: 1001 })).toThrow(/pageSize/);
    expect(() => client({ pageSize: 0 })).toThrow(/pageSize/);
  });
});

describe("write-back", () => {
  it("changes a status once, records it, and treats the same status again as a success without a write", async () => {
    const gap = sim.state.listPostureGaps({ offset: 0, limit: 1 }, { status: "Open" }).response[0];
    if (!gap) throw new Error("seed has no open gap");
    const first = await client().setPostureGapStatus(gap.postureGapId, "Resolved");
    expect(first).toMatchObject({ changed: true, postureGap: { postureGapId: gap.postureGapId, status: "Resolved" } });
    const again = await client().setPostureGapStatus(gap.postureGapId, "Resolved");
    expect(again.changed).toBe(false);
    expect(sim.writeLog()).toEqual([
      expect.objectContaining({ postureGapId: gap.postureGapId, from: "Open", to: "Resolved", keyName: "salt-us-full" }),
    ]);
    expect(sim.state.getPostureGap(gap.postureGapId)?.status).toBe("Resolved");
  });

  it("fires the configured webhook with the rendered template", async () => {
    const receiver = await startReceiver();
    try {
      sim.configureWebhook({
        url: `${receiver.url}/salt`,
        headers: { Authorization: "Bearer receiver-token" },
        bodyTemplate: '{"source":"salt","host":"{{host}}","eventType":"{{eventType}}"}',
      });
      const gap = sim.state.listPostureGaps({ offset: 0, limit: 1 }, { status: "Open" }).response[0];
      await client().setPostureGapStatus(gap?.postureGapId ?? "", "Inprocess");
      await sim.webhooksIdle();
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]?.headers.authorization).toBe("Bearer receiver-token");
      expect(JSON.parse(receiver.requests[0]?.body ?? "")).toEqual({
        source: "salt",
        host: gap?.host,
        eventType: "posture_gap.status_changed",
      });
      expect(sim.webhookLog()).toEqual([expect.objectContaining({ statusCode: 200, url: `${receiver.url}/salt` })]);
    } finally {
      await receiver.close();
    }
  });

  it("says not_found for an unknown gap", async () => {
    expectClass(await failure(client().setPostureGapStatus("does-not-exist", "Resolved")), "not_found");
  });

  it("needs perm-executor", async () => {
    const gap = sim.state.listPostureGaps({ offset: 0, limit: 1 }, { status: "Open" }).response[0];
    const error = await failure(client({ apiKey: sim.keys.usReadonly.key }).setPostureGapStatus(gap?.postureGapId ?? "", "Resolved"));
    expectClass(error, "missing_scope");
    expect(error.details.scope).toBe("perm-executor");
    expect(error.message).toContain("perm-executor");
    expect(sim.writeLog()).toEqual([]);
  });
});

describe("validateKey", () => {
  it("reads the first host page and reports write-back ability without writing", async () => {
    expect(await client().validateKey()).toEqual({ ok: true, canWriteBack: true });
    expect(await client({ apiKey: sim.keys.usReadonly.key }).validateKey()).toEqual({ ok: true, canWriteBack: false });
    expect(sim.requestLog().filter((r) => r.method === "GET").map((r) => r.query)).toEqual(["?limit=1&offset=0", "?limit=1&offset=0"]);
    expect(sim.writeLog()).toEqual([]);
  });

  it("trims the key the user pasted", async () => {
    expect(await client({ apiKey: `  ${sim.keys.usFull.key}\n` }).validateKey()).toEqual({ ok: true, canWriteBack: true });
  });

  it("classifies an unknown key", async () => {
    const error = await failure(client({ apiKey: "salt-not-a-key" }).validateKey());
    expectClass(error, "invalid_key");
    expect(error.retryable).toBe(false);
  });

  it("classifies an expired key", async () => {
    const error = await failure(client({ apiKey: sim.keys.usExpired.key }).validateKey());
    expectClass(error, "expired_key");
    expect(error.message).toMatch(/expired/);
  });

  it("detects a key from the other region", async () => {
    const error = await failure(client({ apiKey: sim.keys.euFull.key }).validateKey());
    expectClass(error, "wrong_region");
    expect(error.message).toBe("Your key belongs to the EU region — choose EU and try again");
    const usFromEu = await failure(
      client({ region: "eu", apiKey: sim.keys.usFull.key, baseUrl: sim.baseUrls.eu, otherRegionBaseUrl: sim.baseUrls.us }).validateKey(),
    );
    expect(usFromEu.message).toBe("Your key belongs to the US region — choose US and try again");
  });

  it("finds the other region through the env overrides", async () => {
    vi.stubEnv("SALT_US_BASE_URL", sim.baseUrls.us);
    vi.stubEnv("SALT_EU_BASE_URL", `${sim.baseUrls.eu}/`);
    expect(saltBaseUrl("eu")).toBe(sim.baseUrls.eu);
    const euClient = createSaltClient({ region: "us", apiKey: sim.keys.euFull.key, retry: { maxAttempts: 1 } });
    expect(euClient.baseUrl).toBe(sim.baseUrls.us);
    expectClass(await failure(euClient.validateKey()), "wrong_region");
  });

  it("uses Salt's public base URLs without overrides", () => {
    vi.stubEnv("SALT_US_BASE_URL", "");
    vi.stubEnv("SALT_EU_BASE_URL", "");
    expect(saltBaseUrl("us")).toBe("https://api.secured-api.com");
    expect(saltBaseUrl("eu")).toBe("https://api.secured-api-eu.com");
  });

  it("names a missing perm-viewer scope", async () => {
    const error = await failure(client({ apiKey: sim.keys.usNoScope.key }).validateKey());
    expectClass(error, "missing_scope");
    expect(error.details.scope).toBe("perm-viewer");
  });
});

describe("requests", () => {
  it("send bearer auth, the Postura user agent and the custom headers", async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: '{"response":[],"endOffset":0}' }));
    try {
      await collect(client({ baseUrl: receiver.url, customHeaders: { "X-Tenant": "acme", "CF-Access-Client-Id": "abc" } }).listHosts());
      const headers = receiver.requests[0]?.headers;
      expect(headers?.authorization).toBe(`Bearer ${sim.keys.usFull.key}`);
      expect(headers?.["user-agent"]).toBe(POSTURA_USER_AGENT);
      expect(POSTURA_USER_AGENT).toMatch(/^Postura\/\d+\.\d+\.\d+/);
      expect(headers?.["x-tenant"]).toBe("acme");
      expect(headers?.["cf-access-client-id"]).toBe("abc");
    } finally {
      await receiver.close();
    }
  });

  it("refuse custom headers that would override Postura's or that fetch could not send", () => {
    expect(() => client({ customHeaders: { Authorization: "Bearer x" } })).toThrow(/Authorization header is set by Postura/);
    expect(() => client({ customHeaders: { Host: "evil.example.com" } })).toThrow(/Host header/);
    // fetch would refuse these at send time, reported as an unreachable Salt: named before any request instead.
    expect(() => client({ customHeaders: { "X-Tenant": "a\u0001b" } })).toThrow(/value of X-Tenant contains a character that cannot be sent/);
    expect(() => client({ customHeaders: { "X-Tenant": "a\u007f" } })).toThrow(CustomHeadersError);
  });
});

describe("unexpected responses", () => {
  it("name the field that did not match", async () => {
    const receiver = await startReceiver(() => ({
      status: 200,
      body: JSON.stringify({ response: [{ hostId: "h1", host: "a.com", labels: [], endpointCount: "many", firstSeen: "2026-01-01T00:00:00Z", lastSeen: "2026-01-01T00:00:00Z" }], endOffset: 1 }),
    }));
    try {
      const error = await failure(collect(client({ baseUrl: receiver.url }).listHosts()));
      expectClass(error, "unexpected_response");
      expect(error.details.field).toBe("response[0].endpointCount");
      expect(error.message).toContain("response[0].endpointCount");
    } finally {
      await receiver.close();
    }
  });

  it("refuse a body that is not JSON, or a severity Salt does not have", async () => {
    const gap = allGaps()[0];
    const receiver = await startReceiver((request) =>
      request.path.startsWith("/v1/inventory")
        ? { status: 200, body: "<html>login</html>" }
        : { status: 200, body: JSON.stringify({ response: [{ ...gap, severity: "Severe" }], endOffset: 1 }) },
    );
    try {
      expectClass(await failure(collect(client({ baseUrl: receiver.url }).listHosts())), "unexpected_response");
      const error = await failure(collect(client({ baseUrl: receiver.url }).listPostureGaps()));
      expect(error.details.field).toBe("response[0].severity");
    } finally {
      await receiver.close();
    }
  });

  it("refuse an endOffset that does not advance", async () => {
    const receiver = await startReceiver(() => ({
      status: 200,
      body: JSON.stringify({ response: sim.state.listHosts({ offset: 0, limit: 2 }).response, endOffset: 0 }),
    }));
    try {
      const error = await failure(collect(client({ baseUrl: receiver.url, pageSize: 2 }).listHosts()));
      expect(error.details.field).toBe("endOffset");
    } finally {
      await receiver.close();
    }
  });
});

describe("injected faults", () => {
  it("429 with Retry-After in seconds: waits as told, then succeeds", async () => {
    sim.injectFault({ kind: "429", retryAfter: { seconds: 1 }, count: 1 });
    const pages = await collect(client().listHosts());
    expect(pages.flat()).toHaveLength(12);
    const [limited, ok] = sim.requestLog();
    expect(limited?.statusCode).toBe(429);
    expect(ok?.statusCode).toBe(200);
    expect(Date.parse(ok?.at ?? "") - Date.parse(limited?.at ?? "")).toBeGreaterThanOrEqual(990);
  });

  it("429 with Retry-After as an HTTP date: waits until then, then succeeds", async () => {
    const until = new Date(Date.now() + 1000).toUTCString();
    sim.injectFault({ kind: "429", retryAfter: { httpDate: until }, count: 1 });
    expect(await client().validateKey()).toEqual({ ok: true, canWriteBack: true });
    const ok = sim.requestLog()[1];
    expect(ok?.statusCode).toBe(200);
    expect(Date.parse(ok?.at ?? "")).toBeGreaterThanOrEqual(Date.parse(until) - 5);
  });

  it("429 asking for longer than the bound: gives up at once as rate_limited", async () => {
    sim.injectFault({ kind: "429", retryAfter: { seconds: 1 } });
    const started = performance.now();
    const error = await failure(collect(client({ retry: { maxAttempts: 5, maxTotalWaitMs: 500 } }).listHosts()));
    expect(performance.now() - started).toBeLessThan(500);
    expectClass(error, "rate_limited");
    expect(error).toMatchObject({ retryable: true, details: { attempts: 1, retryAfterMs: 1000 } });
  });

  it("429 without Retry-After: backs off and gives up after maxAttempts", async () => {
    sim.injectFault({ kind: "429" });
    const error = await failure(collect(client({ retry: { maxAttempts: 3, initialDelayMs: 5 } }).listHosts()));
    expectClass(error, "rate_limited");
    expect(sim.requestLog()).toHaveLength(3);
  });

  it.each(["500", "502", "503"] as const)("%s twice: retries and succeeds", async (kind) => {
    sim.injectFault({ kind, count: 2 });
    expect((await collect(client().listHosts())).flat()).toHaveLength(12);
    expect(sim.requestLog().map((r) => r.statusCode)).toEqual([Number(kind), Number(kind), 200]);
  });

  it("503 every time: gives up as salt_unavailable within the attempt bound", async () => {
    sim.injectFault({ kind: "503" });
    const error = await failure(client({ retry: { maxAttempts: 3, initialDelayMs: 5 } }).getPostureGap("x"));
    expectClass(error, "salt_unavailable");
    expect(error.details).toMatchObject({ status: 503, attempts: 3 });
  });

  it("503 with Retry-After: honoured like a 429", async () => {
    sim.injectFault({ kind: "503", retryAfter: { seconds: 1 }, count: 1 });
    await collect(client().listHosts());
    const [failed, ok] = sim.requestLog();
    expect(Date.parse(ok?.at ?? "") - Date.parse(failed?.at ?? "")).toBeGreaterThanOrEqual(990);
  });

  it("added latency: still succeeds", async () => {
    sim.injectFault({ kind: "latency", latencyMs: 150 });
    const started = performance.now();
    expect((await collect(client().listHosts())).flat()).toHaveLength(12);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it("a hang: times out, retries and succeeds", async () => {
    sim.injectFault({ kind: "hang", count: 1 });
    expect((await collect(client({ timeoutMs: 200 }).listHosts())).flat()).toHaveLength(12);
    expect(sim.requestLog().map((r) => r.statusCode)).toEqual(["hang", 200]);
  });

  it("a hang every time: gives up as timeout", async () => {
    sim.injectFault({ kind: "hang" });
    const error = await failure(client({ timeoutMs: 150, retry: { maxAttempts: 2, initialDelayMs: 5 } }).validateKey());
    expectClass(error, "timeout");
    expect(error.details.attempts).toBe(2);
  });

  it("a connection reset: retries and succeeds", async () => {
    sim.injectFault({ kind: "reset", count: 1 });
    expect((await collect(client().listHosts())).flat()).toHaveLength(12);
    expect(sim.requestLog().map((r) => r.statusCode)).toEqual(["reset", 200]);
  });

  it("resets every time, or nothing listening: network_unreachable", async () => {
    sim.injectFault({ kind: "reset" });
    expectClass(await failure(client({ retry: { maxAttempts: 2, initialDelayMs: 5 } }).validateKey()), "network_unreachable");
    const nowhere = await unusedLoopbackUrl();
    const error = await failure(client({ baseUrl: nowhere, retry: { maxAttempts: 2, initialDelayMs: 5 } }).validateKey());
    expectClass(error, "network_unreachable");
    expect(error.message).toContain(new URL(nowhere).host);
  });

  it("the wait budget, not the attempt limit, ends a run of failures", async () => {
    sim.injectFault({ kind: "500" });
    const error = await failure(
      client({ retry: { maxAttempts: 50, maxTotalWaitMs: 300, initialDelayMs: 40, maxDelayMs: 200 } }).validateKey(),
    );
    expectClass(error, "salt_unavailable");
    // Waits are drawn at random up to 40 ms doubling to 200 ms: 300 ms of waiting never holds twenty of them.
    expect(error.details.attempts).toBeGreaterThanOrEqual(2);
    expect(error.details.attempts).toBeLessThan(20);
    expect(sim.requestLog()).toHaveLength(error.details.attempts as number);
  });
});
