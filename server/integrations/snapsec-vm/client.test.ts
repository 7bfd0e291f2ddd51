import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { startReceiver, unusedLoopbackUrl } from "@/tools/simulator-kit/testing";
import { sampleVulnerability } from "@/tools/snapsec-vm-simulator/fixtures";
import { simulatorPerFile } from "@/tools/snapsec-vm-simulator/testing";
import { createSnapsecVmClient, type SnapsecVmClientOptions, type VmRequestEvent } from "./client";
import type { VmAssessment } from "./contract";
import { SnapsecVmError, type SnapsecVmErrorCode } from "./errors";
import { parseVmCustomHeaders, validateVmCustomHeaders } from "./headers";

const simulator = simulatorPerFile();

const GATEWAY = { "cf-access-client-id": "client.access", "cf-access-client-secret": "gw-s3cret-value" };
const secrets = () => [...Object.values(simulator().keys).map((k) => k.key), ...Object.values(GATEWAY), "acme-tenant-secret"];

/** Short waits so fault tests stay fast; a test that needs other bounds says so. */
function client(overrides: Partial<SnapsecVmClientOptions> = {}) {
  return createSnapsecVmClient({
    baseUrl: simulator().url,
    apiKey: simulator().keys.admin.key,
    timeoutMs: 2_000,
    retry: { maxAttempts: 4, maxTotalWaitMs: 3_000, initialDelayMs: 5, maxDelayMs: 40 },
    ...overrides,
  });
}

async function failure(run: () => Promise<unknown> | unknown): Promise<SnapsecVmError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof SnapsecVmError) return error;
    throw error;
  }
  throw new Error("expected a SnapsecVmError, but the call succeeded");
}

/** The code, and neither the message nor the details carry a key or a header value. */
function expectClass(error: SnapsecVmError, code: SnapsecVmErrorCode, message?: RegExp) {
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  const visible = `${error.message} ${JSON.stringify(error.details)}`;
  for (const secret of secrets()) expect(visible).not.toContain(secret);
}

const seeded = () => simulator().state.listAssessments({ offset: 0, limit: 10 }).data as [VmAssessment, VmAssessment, VmAssessment];

const issue = sampleVulnerability;

describe("connection and keys", () => {
  it("connects with the key as x-api-key or as Bearer and says who the key is", async () => {
    const viaHeader = await client().checkConnection();
    const viaBearer = await client({ authScheme: "bearer", apiKey: simulator().keys.auditor.key }).checkConnection();
    expect(viaHeader).toEqual({
      workspace: { id: "ws_demo", name: "Acme Security (simulated)" },
      keyName: "Postura (admin)",
      role: "admin",
      canWrite: true,
      customHeaderNames: [],
    });
    expect(viaBearer).toMatchObject({ role: "auditor", canWrite: false });
    expect(simulator().requestLog().map((r) => r.auth)).toEqual(["x-api-key", "bearer"]);
  });

  it("classifies an invalid key: regenerate the key in VM, at once (no retry)", async () => {
    const error = await failure(() => client({ apiKey: "vm-wrong-key" }).checkConnection());
    expectClass(error, "invalid_key", /Regenerate the key in VM/);
    expect(error.retryable).toBe(false);
    expect(simulator().requestLog()).toHaveLength(1);
  });

  it("classifies a revoked key", async () => {
    expectClass(await failure(() => client({ apiKey: simulator().keys.revoked.key }).checkConnection()), "revoked_key", /Regenerate the key in VM/);
  });

  it("never trims a key: spaces around or inside it are named, and nothing is sent", async () => {
    for (const apiKey of [` ${simulator().keys.admin.key}`, `${simulator().keys.admin.key} `, `${simulator().keys.admin.key}\n`, "vm-demo admin-key"]) {
      const error = await failure(() => client({ apiKey }));
      expectClass(error, "key_has_spaces", /^The key has extra spaces — copy it again/);
    }
    for (const apiKey of ["\u00a0vm-demo-admin-key", "vm-demo-admin-key\u200b", "\ufeffvm-demo-admin-key"]) {
      expectClass(await failure(() => client({ apiKey })), "key_has_spaces");
    }
    expectClass(await failure(() => client({ apiKey: "" })), "invalid_key");
    expectClass(await failure(() => client({ apiKey: "vm-demo-admin-kéy" })), "malformed_key", /Copy it again/);
    expect(simulator().requestLog()).toEqual([]);
  });

  it("fuzz: any key gives a connection or a typed error, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.stringMatching(/^[!-~]{1,40}$/)), async (apiKey) => {
        try {
          // Retries as in real use: a keep-alive socket the server just closed is a network error worth one more try.
          await client({ apiKey }).checkConnection();
        } catch (error) {
          expect(error).toBeInstanceOf(SnapsecVmError);
          expect(["key_has_spaces", "invalid_key", "malformed_key"]).toContain((error as SnapsecVmError).code);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("refuses a base URL that is not an http(s) address", async () => {
    for (const baseUrl of ["vm.acme.example", "ftp://vm.acme.example", ""]) {
      expectClass(await failure(() => client({ baseUrl })), "invalid_base_url", /must be a web address starting with https:\/\//);
    }
  });

  it("names the custom header a header-bound key needs, and connects once it is given", async () => {
    const error = await failure(() => client({ apiKey: simulator().keys.headerBound.key }).checkConnection());
    expectClass(error, "missing_custom_header", /x-snapsec-tenant: value/);
    expect(error.details.header).toBe("x-snapsec-tenant");
    const connected = await client({ apiKey: simulator().keys.headerBound.key, customHeaders: { "X-Snapsec-Tenant": "acme" } }).checkConnection();
    expect(connected).toMatchObject({ role: "admin", customHeaderNames: ["X-Snapsec-Tenant"] });
  });
});

describe("gateway", () => {
  it("classifies an HTML login page as a gateway refusal, without retrying", async () => {
    simulator().setGateway({ headers: GATEWAY });
    const error = await failure(() => client().checkConnection());
    expectClass(error, "gateway_refused", /Remove the headers and test again, and check the key: value format/);
    expect(error.details.status).toBe(403);
    expect(simulator().requestLog()).toHaveLength(1);
  });

  it("also when the gateway redirects to a login page that answers 200", async () => {
    simulator().setGateway({ headers: GATEWAY, mode: "redirect" });
    expectClass(await failure(() => client().listAssessments()), "gateway_refused");
    expectClass(await failure(() => client().upsertVulnerabilities(seeded()[0].id, [issue(1)])), "gateway_refused");
    expect(simulator().state.counts().vulnerabilities).toBe(0);
  });

  it("passes with the gateway's headers, which reach VM", async () => {
    simulator().setGateway({ headers: GATEWAY });
    const connection = await client({ customHeaders: GATEWAY }).checkConnection();
    expect(connection.customHeaderNames).toEqual(Object.keys(GATEWAY));
    expect(simulator().requestLog()[0]?.headers).toMatchObject(GATEWAY);
  });
});

describe("secrets stay out of logs", () => {
  it("reports every attempt with the key and custom header values redacted", async () => {
    const events: VmRequestEvent[] = [];
    simulator().injectFault({ kind: "503", count: 1 });
    await client({ customHeaders: GATEWAY, onRequest: (e) => events.push(e) }).checkConnection();
    await failure(() => client({ apiKey: "vm-wrong-key-xyz", customHeaders: GATEWAY, onRequest: (e) => events.push(e) }).listAssessments());
    expect(events.map((e) => [e.attempt, e.outcome])).toEqual([
      [1, 503],
      [2, 200],
      [1, 401],
    ]);
    expect(events[0]?.headers).toMatchObject({
      "x-api-key": "[redacted]",
      "cf-access-client-id": "[redacted]",
      "cf-access-client-secret": "[redacted]",
      accept: "application/json",
    });
    const logged = JSON.stringify(events);
    for (const secret of [...secrets(), "vm-wrong-key-xyz"]) expect(logged).not.toContain(secret);
  });

  it("scrubs a key or header value that VM echoes in an error", async () => {
    const receiver = await startReceiver((request) => ({
      status: 400,
      body: JSON.stringify({
        error: { code: "VALIDATION_FAILED", message: `bad header ${String(request.headers["x-tenant"])} for key ${String(request.headers["x-api-key"])}` },
      }),
    }));
    try {
      const error = await failure(() =>
        client({ baseUrl: receiver.url, apiKey: "echoed-key-123", customHeaders: { "x-tenant": "acme-tenant-secret" } }).createAssessment({
          name: "x",
        }),
      );
      expectClass(error, "rejected", /bad header \[redacted\] for key \[redacted\]/);
      expect(error.message).not.toContain("echoed-key-123");
    } finally {
      await receiver.close();
    }
  });
});

describe("assessments", () => {
  it("lists every assessment across pages", async () => {
    for (let i = 0; i < 4; i++) simulator().state.createAssessment({ name: `Project ${i}` });
    const all = await client({ pageSize: 2 }).listAssessments();
    expect(all.map((a) => a.name)).toEqual(["API threats", "Payments platform", "Mobile backend", "Project 0", "Project 1", "Project 2", "Project 3"]);
    expect(simulator().requestLog().map((r) => r.query)).toEqual(["?limit=2&offset=0", "?limit=2&offset=2", "?limit=2&offset=4", "?limit=2&offset=6"]);
  });

  it("creates an assessment, and a retry after a lost answer does not create a second", async () => {
    simulator().injectFault({ kind: "latency", latencyMs: 400, count: 1, method: "POST" });
    const created = await client({ timeoutMs: 150 }).createAssessment({ name: "Threats from Postura", stage: "Testing Ongoing" });
    expect(created).toMatchObject({ name: "Threats from Postura", stage: "Testing Ongoing", counts: { open: 0, resolved: 0, retest: 0 } });
    // The first, slow attempt still reaches VM after the retry: the idempotency key makes it a replay.
    await vi.waitFor(() => expect(simulator().requestLog().filter((r) => r.statusCode === 201)).toHaveLength(2), { timeout: 5_000 });
    const keys = new Set(simulator().requestLog().map((r) => r.headers["idempotency-key"]));
    expect(keys.size).toBe(1);
    expect((await client().listAssessments()).filter((a) => a.name === "Threats from Postura")).toHaveLength(1);
  });

  it("reads one assessment, or null once it is deleted in VM", async () => {
    const [first] = seeded();
    expect(await client().getAssessment(first.id)).toMatchObject({ id: first.id, name: "API threats" });
    simulator().state.deleteAssessment(first.id);
    expect(await client().getAssessment(first.id)).toBeNull();
  });

  it("says which role may not create assessments", async () => {
    const error = await failure(() => client({ apiKey: simulator().keys.auditor.key }).createAssessment({ name: "x" }));
    expectClass(error, "forbidden", /may not create assessments \(its role is auditor\)/);
  });
});

describe("vulnerabilities", () => {
  it("upserts in batches of at most 500 with a result per item, in the caller's order", async () => {
    const assessmentId = seeded()[0].id;
    const items = Array.from({ length: 1203 }, (_, i) => issue(i));
    items[700] = issue(700, { severity: "Severe" as never });
    const report = await client().upsertVulnerabilities(assessmentId, items);
    expect(report.batches).toBe(3);
    expect(report.summary).toEqual({ created: 1202, updated: 0, unchanged: 0, error: 1 });
    expect(report.results).toHaveLength(1203);
    expect(report.results.every((r, i) => r.index === i && r.externalId === `postura:issue:${i}`)).toBe(true);
    expect(report.results[700]).toMatchObject({ result: "error", reason: expect.stringMatching(/^severity: /) });
    expect(simulator().requestLog().map((r) => (r.body as { vulnerabilities: unknown[] }).vulnerabilities.length)).toEqual([500, 500, 203]);
    expect(simulator().state.getVulnerability("postura:issue:5")).toMatchObject({ ...issue(5), assessmentId, state: "Open" });
  });

  it("is idempotent: the same call again changes nothing and duplicates nothing", async () => {
    const assessmentId = seeded()[0].id;
    const items = Array.from({ length: 30 }, (_, i) => issue(i));
    await client({ batchSize: 7 }).upsertVulnerabilities(assessmentId, items);
    const again = await client({ batchSize: 11 }).upsertVulnerabilities(assessmentId, [...items.slice(0, 29), issue(29, { status: "Fixed" })]);
    expect(again.summary).toEqual({ created: 0, updated: 1, unchanged: 29, error: 0 });
    expect(simulator().state.counts().vulnerabilities).toBe(30);
    expect(seeded()[0].counts).toEqual({ open: 29, resolved: 0, retest: 1 });
  });

  it("sends an external id given twice once, and reports the repeat", async () => {
    const report = await client({ batchSize: 2 }).upsertVulnerabilities(seeded()[0].id, [issue(1), issue(2), issue(1, { title: "other" })]);
    expect(report.results.map((r) => r.result)).toEqual(["created", "created", "error"]);
    expect(report.results[2]?.reason).toBe("externalId: already given as item 0");
    expect(simulator().state.getVulnerability("postura:issue:1")?.title).toBe(issue(1).title);
  });

  it("a retry or a crash mid-call never makes a duplicate", async () => {
    const assessmentId = seeded()[0].id;
    // The first batch meets a 503; its retry is carried out by VM but answered after the client gave up; the third
    // attempt succeeds, and the late second one then finds every record already there.
    simulator().injectFault({ kind: "503", count: 1, method: "POST" });
    simulator().injectFault({ kind: "latency", latencyMs: 1_000, count: 1, method: "POST", pathPrefix: "/api/v1/vulnerabilities/bulk" });
    const items = Array.from({ length: 25 }, (_, i) => issue(i));
    const report = await client({ batchSize: 10, timeoutMs: 150 }).upsertVulnerabilities(assessmentId, items);
    expect(report.summary).toEqual({ created: 25, updated: 0, unchanged: 0, error: 0 });
    await vi.waitFor(() => expect(simulator().requestLog().filter((r) => r.statusCode === "pending")).toEqual([]), { timeout: 5_000 });
    expect(simulator().requestLog().map((r) => r.statusCode)).toEqual([503, 200, 200, 200, 200]);
    expect(simulator().state.counts().vulnerabilities).toBe(25);

    // The caller dies after its second batch was stored but before the answer came back; then it runs again.
    const more = Array.from({ length: 40 }, (_, i) => issue(20 + i));
    const crashed = await failure(() =>
      client({ batchSize: 10, retry: { maxAttempts: 2 }, fetchImpl: loseAnswersFromSecondBatch() }).upsertVulnerabilities(assessmentId, more),
    );
    expectClass(crashed, "network_unreachable");
    expect(simulator().state.counts().vulnerabilities).toBe(40);
    const resumed = await client({ batchSize: 10 }).upsertVulnerabilities(assessmentId, more);
    expect(resumed.summary).toEqual({ created: 20, updated: 0, unchanged: 20, error: 0 });
    const stored = simulator().state.listVulnerabilities({ offset: 0, limit: 500 }).data;
    expect(stored).toHaveLength(60);
    expect(new Set(stored.map((v) => v.externalId)).size).toBe(60);
  });

  it("says when the assessment no longer exists", async () => {
    const [first] = seeded();
    simulator().state.deleteAssessment(first.id);
    const error = await failure(() => client().upsertVulnerabilities(first.id, [issue(1)]));
    expectClass(error, "assessment_not_found", new RegExp(`no assessment ${first.id}.*Choose another assessment`));
  });

  it("upserts one record, then finds it by external id", async () => {
    const assessmentId = seeded()[1].id;
    const created = await client().upsertVulnerability(assessmentId, issue(1));
    const same = await client().upsertVulnerability(assessmentId, issue(1));
    expect([created.result, same.result]).toEqual(["created", "unchanged"]);
    expect(await client().findByExternalId("postura:issue:1")).toEqual(created.vulnerability);
    expect(await client().findByExternalId("postura:issue:404")).toBeNull();
  });

  it("updates a status idempotently along the lifecycle", async () => {
    await client().upsertVulnerabilities(seeded()[0].id, [issue(1)]);
    const fixed = await client().updateStatus("postura:issue:1", "Fixed");
    expect(fixed).toMatchObject({ changed: true, vulnerability: { status: "Fixed", state: "Retest" } });
    expect((await client().updateStatus("postura:issue:1", "Fixed")).changed).toBe(false);
    expect((await client().updateStatus("postura:issue:1", "Verified")).vulnerability.state).toBe("Resolved");
    expectClass(await failure(() => client().updateStatus("postura:issue:2", "Fixed")), "not_found");
    expectClass(await failure(() => client({ apiKey: simulator().keys.auditor.key }).updateStatus("postura:issue:1", "Pending")), "forbidden");
  });

  it("lists one assessment's records page by page", async () => {
    const [a, b] = seeded();
    await client().upsertVulnerabilities(a.id, Array.from({ length: 5 }, (_, i) => issue(i)));
    await client().upsertVulnerabilities(b.id, [issue(99)]);
    const pages: string[][] = [];
    for await (const page of client({ pageSize: 2 }).listVulnerabilities({ assessmentId: a.id })) pages.push(page.map((v) => v.externalId));
    expect(pages).toEqual([
      ["postura:issue:0", "postura:issue:1"],
      ["postura:issue:2", "postura:issue:3"],
      ["postura:issue:4"],
    ]);
  });
});

/** A fetch whose bulk calls after the first reach VM but lose their answer, as when the caller crashes mid-call. */
function loseAnswersFromSecondBatch(): typeof fetch {
  let bulkCalls = 0;
  return async (input, init) => {
    const response = await fetch(input, init);
    if (String(input).endsWith("/bulk") && ++bulkCalls >= 2) throw new TypeError("fetch failed");
    return response;
  };
}

describe("faults", () => {
  it("waits what Retry-After asks for, then succeeds", async () => {
    simulator().injectFault({ kind: "429", count: 1, retryAfter: { seconds: 0.3 } });
    const started = Date.now();
    await client().checkConnection();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(simulator().requestLog().map((r) => r.statusCode)).toEqual([429, 200]);
  });

  it("gives up at once when Retry-After is longer than it may wait, saying how long", async () => {
    simulator().injectFault({ kind: "429", retryAfter: { seconds: 120 } });
    const error = await failure(() => client().checkConnection());
    expectClass(error, "rate_limited", /wait 120 seconds/);
    expect([error.retryable, error.details.retryAfterMs, error.details.attempts]).toEqual([true, 120_000, 1]);
  });

  it("retries 5xx (JSON or a proxy's HTML) with backoff, then classifies VM as unavailable", async () => {
    simulator().injectFault({ kind: "502" });
    const error = await failure(() => client().listAssessments());
    expectClass(error, "vm_unavailable", /HTTP 502, 4 attempts/);
    expect(simulator().requestLog()).toHaveLength(4);
    const proxy = await startReceiver(() => ({ status: 503, body: "<html>Service Unavailable</html>", headers: { "content-type": "text/html" } }));
    try {
      const viaProxy = await failure(() => client({ baseUrl: proxy.url }).checkConnection());
      expectClass(viaProxy, "vm_unavailable");
      expect(proxy.requests).toHaveLength(4);
    } finally {
      await proxy.close();
    }
  });

  it("times out a hanging VM on every attempt, then says so", async () => {
    simulator().injectFault({ kind: "hang" });
    const error = await failure(() => client({ timeoutMs: 100, retry: { maxAttempts: 2 } }).checkConnection());
    expectClass(error, "timeout", /did not answer within 1 second \(2 attempts\)/);
    expect(simulator().requestLog().map((r) => r.statusCode)).toEqual(["hang", "hang"]);
  });

  it("recovers from a reset connection, and names an unreachable host", async () => {
    simulator().injectFault({ kind: "reset", count: 1 });
    await expect(client().checkConnection()).resolves.toMatchObject({ role: "admin" });
    const error = await failure(async () => client({ baseUrl: await unusedLoopbackUrl(), retry: { maxAttempts: 2 } }).checkConnection());
    expectClass(error, "network_unreachable", /could not reach Snapsec VM at 127\.0\.0\.1:\d+ \(2 attempts\)/);
  });

  it("names the field when VM answers in another shape", async () => {
    const odd = await startReceiver(() => ({ status: 200, body: JSON.stringify({ data: { workspace: { id: 1 } } }) }));
    const text = await startReceiver(() => ({ status: 200, body: "ok", headers: { "content-type": "text/plain" } }));
    try {
      const shape = await failure(() => client({ baseUrl: odd.url }).checkConnection());
      expectClass(shape, "unexpected_response");
      expect(shape.details.field).toBe("data.workspace.id");
      expectClass(await failure(() => client({ baseUrl: text.url }).checkConnection()), "unexpected_response", /text\/plain/);
    } finally {
      await odd.close();
      await text.close();
    }
  });
});

describe("custom headers", () => {
  it("refuses headers Postura sets itself, whatever their case", () => {
    for (const name of ["x-api-key", "X-API-Key", "Authorization", "host", "Content-Length", "Idempotency-Key"]) {
      const error = (() => {
        try {
          validateVmCustomHeaders({ [name]: "v" });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(SnapsecVmError);
      expect((error as SnapsecVmError).message).toMatch(/cannot be overridden/);
    }
  });

  it("parses key: value lines and names the line at fault", () => {
    expect(parseVmCustomHeaders("# gateway\nCF-Access-Client-Id: abc\n\nX-Tenant:  acme \n")).toEqual({
      "CF-Access-Client-Id": "abc",
      "X-Tenant": "acme",
    });
    const cases: [string, RegExp][] = [
      ["X-Tenant acme", /^Line 1: expected "name: value"/],
      ["ok: 1\nx-api-key: k", /^Line 2: the x-api-key header is set by Postura .*paste the API key in its own field/],
      ["Bad Name: v", /not a valid header name/],
      ["X-Tenant: a\u0007b", /cannot be sent in a header/],
      ["A: 1\na: 2", /given twice/],
    ];
    for (const [text, message] of cases) {
      const error = (() => {
        try {
          parseVmCustomHeaders(text);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(SnapsecVmError);
      expect((error as SnapsecVmError).code).toBe("invalid_custom_headers");
      expect((error as SnapsecVmError).message).toMatch(message);
    }
  });

  it("fuzz: any header text or map gives valid headers or a typed error, and valid ones can be sent", async () => {
    const receiver = await startReceiver(() => ({
      status: 200,
      body: JSON.stringify({ data: { workspace: { id: "w", name: "W" }, key: { name: "k", role: "admin" } } }),
    }));
    const headerChar = fc.constantFrom("a", "X", "-", ":", " ", "\t", "\r", "\n", "\u0000", "\u007f", "é", "€", "\u0001", "k", "1");
    const text = fc.array(headerChar, { maxLength: 40 }).map((cs) => cs.join(""));
    const plausibleName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
    const plausibleValue = fc.stringMatching(/^[!-~][ -~]{0,20}$/);
    const typedOnly = (run: () => unknown) => {
      try {
        return run();
      } catch (error) {
        expect(error).toBeInstanceOf(SnapsecVmError);
        expect((error as SnapsecVmError).code).toBe("invalid_custom_headers");
        return undefined;
      }
    };
    try {
      fc.assert(fc.property(fc.oneof(text, fc.string({ maxLength: 80 })), (input) => void typedOnly(() => parseVmCustomHeaders(input))), {
        numRuns: 400,
      });
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.oneof(text, fc.string({ maxLength: 12 }), plausibleName), fc.oneof(text, fc.string({ maxLength: 20 }), plausibleValue), { maxKeys: 3 }), async (headers) => {
          const made = typedOnly(() => client({ baseUrl: receiver.url, customHeaders: headers }));
          if (made === undefined) return;
          // Whatever passed validation can be sent: the call succeeds, never a TypeError from fetch.
          await expect((made as ReturnType<typeof client>).checkConnection()).resolves.toMatchObject({ role: "admin" });
        }),
        { numRuns: 150 },
      );
      // Well-formed headers (other than those Postura sets) are accepted and arrive as given.
      const ours = /^(x-api-key|authorization|proxy-authorization|host|content-length|content-type|idempotency-key|accept|user-agent|connection|te|trailer|upgrade|keep-alive|transfer-encoding)$/i;
      await fc.assert(
        fc.asyncProperty(fc.dictionary(plausibleName, plausibleValue, { minKeys: 1, maxKeys: 3 }), async (headers) => {
          const names = Object.keys(headers);
          fc.pre(names.every((n) => !ours.test(n)) && new Set(names.map((n) => n.toLowerCase())).size === names.length);
          await client({ baseUrl: receiver.url, customHeaders: headers }).checkConnection();
          const received = receiver.requests.at(-1)?.headers ?? {};
          for (const [name, value] of Object.entries(headers)) expect(received[name.toLowerCase()]).toBe(value.trim());
        }),
        { numRuns: 60 },
      );
    } finally {
      await receiver.close();
    }
  });
});
