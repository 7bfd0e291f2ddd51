import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PATHS, WEBHOOK_EVENT_TYPES, type PageEnvelope, type PostureGap, type SaltEndpoint, type SaltHost } from "./conventions";
import { generateSeedData } from "./seed";
import { startSaltSimulator, type SaltSimulator } from "./server";
import { startReceiver, unusedLoopbackUrl, type Receiver } from "../simulator-kit/testing";
import { renderWebhookBody } from "./webhook";

let sim: SaltSimulator;
let receiver: Receiver;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 7 });
  receiver = await startReceiver((request) =>
    request.path === "/fail" ? { status: 400, body: '{"error":"bad template"}' } : { status: 200, body: "{}" },
  );
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  sim.reset();
  receiver.requests.length = 0;
});

async function api(path: string, init: { key?: string; region?: "us" | "eu"; method?: string; body?: unknown; authorization?: string } = {}) {
  const base = init.region === "eu" ? sim.baseUrls.eu : sim.baseUrls.us;
  const headers: Record<string, string> = {};
  const authorization = init.authorization ?? `Bearer ${init.key ?? sim.keys.usFull.key}`;
  if (authorization !== "") headers.authorization = authorization;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

async function control(path: string, method = "GET", body?: unknown) {
  const res = await fetch(`${sim.url}/__control${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

describe("seeded data", () => {
  it("is deterministic for a seed and sized by the options", () => {
    const a = generateSeedData({ seed: 3, hosts: 5, endpointsPerHost: 4, gapsPerEndpoint: 3 });
    const b = generateSeedData({ seed: 3, hosts: 5, endpointsPerHost: 4, gapsPerEndpoint: 3 });
    const c = generateSeedData({ seed: 4, hosts: 5, endpointsPerHost: 4, gapsPerEndpoint: 3 });
    expect(a).toEqual(b);
    expect(a.postureGaps.map((g) => g.postureGapId)).not.toEqual(c.postureGaps.map((g) => g.postureGapId));
    expect([a.hosts.length, a.endpoints.length, a.postureGaps.length]).toEqual([5, 20, 60]);
    expect(a.hosts[0]?.host).toBe("api.acme-payments.com");
  });

  it("keeps gaps consistent with the endpoint inventory and uses Salt's values", () => {
    const data = generateSeedData({ seed: 11, hosts: 30, endpointsPerHost: 30, gapsPerEndpoint: 2 });
    const endpoints = new Set(data.endpoints.map((e) => `${e.host} ${e.method} ${e.endpointPath}`));
    expect(new Set(data.hosts.map((h) => h.host)).size).toBe(30);
    for (const gap of data.postureGaps) {
      expect(endpoints.has(`${gap.host} ${gap.method} ${gap.endpointPath}`)).toBe(true);
      expect(["Info", "Low", "Medium", "High", "Critical"]).toContain(gap.severity);
      expect(["Open", "Inprocess", "Resolved", "Ignored"]).toContain(gap.status);
      expect(Date.parse(gap.lastActivity)).toBeGreaterThanOrEqual(Date.parse(gap.detected));
    }
    const categories = new Set(data.postureGaps.flatMap((g) => g.categories));
    for (const c of ["BOLA", "Injection", "Broken authentication", "CORS misconfiguration", "SSRF", "Shadow API"]) {
      expect(categories.has(c)).toBe(true);
    }
    expect(data.endpoints.some((e) => /\{id\}/.test(e.endpointPath))).toBe(true);
    expect(data.hosts[0]?.labels).toEqual(expect.arrayContaining([expect.stringMatching(/^app:/), expect.stringMatching(/^env:/)]));
  });
});

describe("auth", () => {
  it("refuses a missing, unknown or space-padded key with 401", async () => {
    expect((await api(PATHS.hosts, { authorization: "" })).status).toBe(401);
    expect((await api(PATHS.hosts, { key: "nope" })).status).toBe(401);
    expect((await api(PATHS.hosts, { authorization: `Bearer  ${sim.keys.usFull.key}` })).status).toBe(401);
    expect((await api(PATHS.hosts, { authorization: `Bearer ${sim.keys.usFull.key} x` })).status).toBe(401);
    expect((await api(PATHS.hosts)).status).toBe(200);
  });

  it("refuses a key in the other region with 401", async () => {
    const res = await api(PATHS.hosts, { key: sim.keys.usFull.key, region: "eu" });
    expect(res.status).toBe(401);
    expect(res.json.errorCode).toBe("UNAUTHORIZED");
    expect((await api(PATHS.hosts, { key: sim.keys.euFull.key, region: "eu" })).status).toBe(200);
  });

  it("says an expired key expired", async () => {
    const res = await api(PATHS.hosts, { key: sim.keys.usExpired.key });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ errorCode: "API_KEY_EXPIRED", message: expect.stringMatching(/expired/) });
  });

  it("names the missing scope with 403", async () => {
    const read = await api(PATHS.postureGaps, { key: sim.keys.usNoScope.key });
    expect(read.status).toBe(403);
    expect(read.json.requiredScope).toBe("perm-viewer");
    const write = await api(PATHS.postureGaps, { key: sim.keys.usReadonly.key, method: "POST", body: { dryRun: true } });
    expect(write.status).toBe(403);
    expect(write.json.requiredScope).toBe("perm-executor");
  });

  it("accepts keys added through the control API", async () => {
    const add = await control("/keys", "POST", { key: "added-eu", region: "eu", scopes: ["perm-viewer"] });
    expect(add.status).toBe(201);
    expect((await api(PATHS.hosts, { key: "added-eu", region: "eu" })).status).toBe(200);
  });
});

describe("public API", () => {
  it("pages hosts with the default limit and endOffset = offset + rows", async () => {
    const res = await api(PATHS.hosts);
    const page = res.json as unknown as PageEnvelope<SaltHost>;
    expect(page.response).toHaveLength(12);
    expect(page.endOffset).toBe(12);
    expect(page.response[0]).toMatchObject({ host: "api.acme-payments.com", endpointCount: 25 });
    const second = (await api(`${PATHS.hosts}?limit=5&offset=10`)).json as unknown as PageEnvelope<SaltHost>;
    expect(second.response.map((h) => h.host)).toEqual(page.response.slice(10).map((h) => h.host));
    expect(second.endOffset).toBe(12);
    const past = (await api(`${PATHS.hosts}?limit=5&offset=50`)).json as unknown as PageEnvelope<SaltHost>;
    expect(past).toEqual({ response: [], endOffset: 50 });
  });

  it("rejects a limit outside 1..1000 and a negative offset", async () => {
    expect((await api(`${PATHS.hosts}?limit=1001`)).status).toBe(400);
    expect((await api(`${PATHS.hosts}?limit=0`)).status).toBe(400);
    expect((await api(`${PATHS.hosts}?offset=-1`)).status).toBe(400);
    expect((await api(`${PATHS.hosts}?limit=1000`)).status).toBe(200);
  });

  it("filters endpoints by host", async () => {
    const all = (await api(`${PATHS.endpoints}?limit=1000`)).json as unknown as PageEnvelope<SaltEndpoint>;
    expect(all.response).toHaveLength(300);
    const host = all.response[40]?.host ?? "";
    const one = (await api(`${PATHS.endpoints}?host=${encodeURIComponent(host)}&limit=1000`)).json as unknown as PageEnvelope<SaltEndpoint>;
    expect(one.response).toHaveLength(25);
    expect(one.response.every((e) => e.host === host)).toBe(true);
    expect(one.response[0]).toEqual(
      expect.objectContaining({ endpointId: expect.any(String), method: expect.any(String), endpointPath: expect.stringMatching(/^\//), labels: expect.any(Array) }),
    );
  });

  it("filters posture gaps by host, status and severity, and serves Salt's fields", async () => {
    const all = ((await api(`${PATHS.postureGaps}?limit=1000`)).json as unknown as PageEnvelope<PostureGap>).response;
    expect(all).toHaveLength(600);
    expect(Object.keys(all[0] ?? {}).sort()).toEqual(
      [
        "postureGapId", "postureGapName", "severity", "status", "categories", "host", "method", "endpointPath",
        "tickets", "detected", "lastActivity", "endpointLabels", "cweId",
      ].sort(),
    );
    const host = all[100]?.host ?? "";
    const filtered = ((await api(`${PATHS.postureGaps}?limit=1000&host=${encodeURIComponent(host)}&status=Open&severity=High`)).json as unknown as PageEnvelope<PostureGap>).response;
    const expected = all.filter((g) => g.host === host && g.status === "Open" && g.severity === "High");
    expect(filtered.map((g) => g.postureGapId)).toEqual(expected.map((g) => g.postureGapId));
    const resolved = ((await api(`${PATHS.postureGaps}?limit=1000&status=Resolved`)).json as unknown as PageEnvelope<PostureGap>).response;
    expect(resolved.length).toBe(all.filter((g) => g.status === "Resolved").length);
    expect(resolved.length).toBeGreaterThan(0);
    const gapId = all[5]?.postureGapId ?? "";
    const byId = ((await api(`${PATHS.postureGaps}?postureGapId=${gapId}`)).json as unknown as PageEnvelope<PostureGap>).response;
    expect(byId.map((g) => g.postureGapId)).toEqual([gapId]);
  });

  it("records a status write-back, bumps lastActivity and fires the webhook", async () => {
    sim.configureWebhook({ url: `${receiver.url}/hook`, bodyTemplate: '{"host":"{{host}}","event":"{{eventType}}"}' });
    const gap = sim.state.listPostureGaps({ offset: 0, limit: 1 }, { status: "Open" }).response[0];
    if (!gap) throw new Error("seed has no open gap");
    const before = gap.lastActivity;
    const res = await api(PATHS.postureGaps, { method: "POST", body: { postureGapId: gap.postureGapId, status: "Resolved" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ changed: true, response: { postureGapId: gap.postureGapId, status: "Resolved" } });
    expect(sim.state.getPostureGap(gap.postureGapId)?.lastActivity).not.toBe(before);
    expect(sim.writeLog()).toEqual([
      expect.objectContaining({ keyName: "salt-us-full", postureGapId: gap.postureGapId, from: "Open", to: "Resolved", changed: true }),
    ]);
    await sim.webhooksIdle();
    expect(receiver.requests.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { host: gap.host, event: "posture_gap.status_changed" },
    ]);
  });

  it("rejects a write-back with an unknown gap or status, and answers a dry run without writing", async () => {
    expect((await api(PATHS.postureGaps, { method: "POST", body: { postureGapId: "missing", status: "Open" } })).status).toBe(404);
    const gapId = sim.state.listPostureGaps({ offset: 0, limit: 1 }, {}).response[0]?.postureGapId;
    expect((await api(PATHS.postureGaps, { method: "POST", body: { postureGapId: gapId, status: "Done" } })).status).toBe(400);
    const dry = await api(PATHS.postureGaps, { method: "POST", body: { dryRun: true } });
    expect(dry).toMatchObject({ status: 200, json: { dryRun: true, permitted: true } });
    expect(sim.writeLog()).toEqual([]);
  });

  it("answers unknown paths with 404", async () => {
    expect((await api("/v1/nothing")).status).toBe(404);
    expect((await fetch(`${sim.url}/v1/inventory/hosts`)).status).toBe(404);
  });
});

describe("control API", () => {
  it("creates, updates and deletes hosts, endpoints and gaps, announcing each gap change", async () => {
    sim.configureWebhook({ url: `${receiver.url}/hook`, bodyTemplate: "{{eventType}}|{{host}}" });
    expect((await control("/hosts", "POST", { host: "api.new-shop.com", labels: ["env:prod"] })).status).toBe(201);
    expect((await control("/hosts", "POST", { host: "api.new-shop.com" })).status).toBe(409);
    const endpoint = (await control("/endpoints", "POST", { host: "api.new-shop.com", method: "get", endpointPath: "/v1/carts/{id}" })).json as SaltEndpoint;
    expect(endpoint).toMatchObject({ method: "GET", labels: ["env:prod"] });
    const created = await control("/gaps", "POST", { host: "api.new-shop.com", method: "GET", endpointPath: "/v1/carts/{id}", severity: "Critical", categories: ["BOLA"] });
    expect(created.status).toBe(201);
    const gap = created.json as PostureGap;
    expect(gap).toMatchObject({ status: "Open", severity: "Critical", endpointLabels: ["env:prod"] });

    const severity = (await control(`/gaps/${gap.postureGapId}`, "PATCH", { severity: "Low" })).json as PostureGap;
    expect(severity.severity).toBe("Low");
    const status = (await control(`/gaps/${gap.postureGapId}`, "PATCH", { status: "Ignored" })).json as PostureGap;
    expect(status.status).toBe("Ignored");
    expect((await control(`/gaps/${gap.postureGapId}`, "PATCH", { status: "Gone" })).status).toBe(400);
    expect((await control("/endpoints/" + endpoint.endpointId, "PATCH", { labels: ["env:prod", "data:pii"] })).status).toBe(200);
    expect(sim.state.getPostureGap(gap.postureGapId)?.endpointLabels).toEqual(["env:prod", "data:pii"]);
    expect((await control(`/hosts/api.new-shop.com`, "DELETE")).status).toBe(200);
    expect(sim.state.getPostureGap(gap.postureGapId)).toBeUndefined();
    expect(sim.state.getEndpoint(endpoint.endpointId)).toBeUndefined();

    await sim.webhooksIdle();
    expect(receiver.requests.map((r) => r.body)).toEqual([
      "posture_gap.created|api.new-shop.com",
      "posture_gap.updated|api.new-shop.com",
      "posture_gap.status_changed|api.new-shop.com",
      "posture_gap.updated|api.new-shop.com",
      "posture_gap.deleted|api.new-shop.com",
    ]);
  });

  it("refuses a gap on an endpoint that is not in the inventory", async () => {
    const res = await control("/gaps", "POST", { host: "api.acme-payments.com", method: "GET", endpointPath: "/nowhere" });
    expect(res.status).toBe(404);
  });

  it("resets to the seed", async () => {
    const gap = sim.state.listPostureGaps({ offset: 0, limit: 1 }, {}).response[0];
    await control(`/gaps/${gap?.postureGapId}`, "DELETE");
    expect(sim.state.counts().postureGaps).toBe(599);
    expect((await control("/reset", "POST")).json).toMatchObject({ postureGaps: 600 });
    expect(sim.state.getPostureGap(gap?.postureGapId ?? "")).toEqual(gap);
  });

  it("serves the write-back log, request log and faults", async () => {
    await api(PATHS.hosts);
    const fault = (await control("/faults", "POST", { kind: "503", count: 1 })).json as { id: number };
    expect((await api(PATHS.hosts)).status).toBe(503);
    expect((await api(PATHS.hosts)).status).toBe(200);
    expect((await control("/faults", "POST", { kind: "teapot" })).status).toBe(400);
    expect((await control("/faults")).json).toEqual([expect.objectContaining({ id: fault.id, hits: 1 })]);
    const log = (await control("/request-log")).json as { statusCode: number; keyName: string | null }[];
    expect(log.map((r) => r.statusCode)).toEqual([200, 503, 200]);
    expect((await control("/write-log")).json).toEqual([]);
  });
});

describe("webhook", () => {
  it("renders by plain substitution", () => {
    expect(renderWebhookBody('{"h":"{{host}}","e":"{{eventType}}","again":"{{host}}"}', { host: "a.com", eventType: "x" })).toBe(
      '{"h":"a.com","e":"x","again":"a.com"}',
    );
    expect(WEBHOOK_EVENT_TYPES).toContain("posture_gap.status_changed");
  });

  it("sends custom headers, and sends a broken template as configured, logging the receiver's answer", async () => {
    await control("/webhook", "PUT", {
      url: `${receiver.url}/fail`,
      headers: { "X-Salt-Secret": "s3cret" },
      bodyTemplate: '{"host": {{host}}, "type": "{{eventType}}"',
    });
    const delivery = (await control("/webhook/test", "POST", { host: "api.acme-payments.com" })).json;
    expect(delivery).toMatchObject({ statusCode: 400, eventType: "integration.test", body: '{"host": api.acme-payments.com, "type": "integration.test"' });
    expect(receiver.requests[0]?.headers["x-salt-secret"]).toBe("s3cret");
    expect(receiver.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(receiver.requests[0]?.body).toBe('{"host": api.acme-payments.com, "type": "integration.test"');
  });

  it("logs an error when the receiver cannot be reached, and stops after being cleared", async () => {
    sim.configureWebhook({ url: `${await unusedLoopbackUrl()}/hook`, bodyTemplate: "{}" });
    const gap = sim.state.listPostureGaps({ offset: 0, limit: 1 }, {}).response[0];
    await control(`/gaps/${gap?.postureGapId}`, "PATCH", { severity: "Critical" });
    const log = (await control("/webhook/log")).json as { statusCode: number | null; error: string | null }[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/fetch failed|ECONNREFUSED/) });
    await control("/webhook", "DELETE");
    await control(`/gaps/${gap?.postureGapId}`, "PATCH", { severity: "Low" });
    expect(((await control("/webhook/log")).json as unknown[]).length).toBe(1);
  });
});

describe("faults", () => {
  it("hit the same share of calls for the same seed", async () => {
    const pattern = async (s: SaltSimulator) => {
      s.injectFault({ kind: "500", rate: 0.5 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`${s.baseUrls.us}${PATHS.hosts}?limit=1`, { headers: { authorization: `Bearer ${s.keys.usFull.key}` } });
        out.push(res.status);
        await res.arrayBuffer();
      }
      return out;
    };
    const other = await startSaltSimulator({ seed: 7, hosts: 1, endpointsPerHost: 1, gapsPerEndpoint: 1 });
    try {
      const a = await pattern(sim);
      const b = await pattern(other);
      expect(a).toEqual(b);
      expect(a).toContain(500);
      expect(a).toContain(200);
    } finally {
      await other.close();
    }
  });

  it("limit themselves by method, path and count, and add latency", async () => {
    sim.injectFault({ kind: "429", retryAfter: { seconds: 3 }, pathPrefix: "/v1/apigovern", method: "GET", count: 2 });
    sim.injectFault({ kind: "latency", latencyMs: 60, pathPrefix: "/v1/inventory/endpoints" });
    expect((await api(PATHS.hosts)).status).toBe(200);
    const limited = await api(PATHS.postureGaps);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect((await api(PATHS.postureGaps)).status).toBe(429);
    expect((await api(PATHS.postureGaps)).status).toBe(200);
    const started = performance.now();
    expect((await api(PATHS.endpoints)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("reset the connection or hang", async () => {
    sim.injectFault({ kind: "reset", count: 1 });
    await expect(fetch(`${sim.baseUrls.us}${PATHS.hosts}`)).rejects.toThrow(/fetch failed/);
    sim.injectFault({ kind: "hang", count: 1 });
    await expect(fetch(`${sim.baseUrls.us}${PATHS.hosts}`, { signal: AbortSignal.timeout(150) })).rejects.toThrow(/abort|timeout/i);
    expect(sim.requestLog().map((r) => r.statusCode)).toEqual(["reset", "hang"]);
  });
});
