import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rejectionOf, startReceiver, unusedLoopbackUrl } from "@/tools/simulator-kit/testing";
import { startTenableSimulator, type TenableSimulator } from "@/tools/tenable-simulator";
import { createTenableClient, exportSince, type ExportProgress, type ExportedChunk, type TenableClientOptions, type VulnExport } from "./client";
import { UNLIMITED_SINCE_SECONDS } from "./conventions";
import { TenableError, type TenableErrorCode } from "./errors";
import { NodeIndex, findingIdentity, moreRecentResult } from "./identity";
import type { TenableFinding } from "./schemas";

const DAY_MS = 86_400_000;
let sim: TenableSimulator;

beforeAll(async () => {
  sim = await startTenableSimulator({ port: 0, seed: 11, assets: 400, findingsPerAsset: 3 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

/** Short waits so the flow stays fast; each test that needs other bounds says so. */
function client(overrides: Partial<TenableClientOptions> = {}) {
  return createTenableClient({
    baseUrl: sim.baseUrl,
    accessKey: sim.keys.admin.accessKey,
    secretKey: sim.keys.admin.secretKey,
    timeoutMs: 5_000,
    retry: { maxAttempts: 4, maxTotalWaitMs: 3_000, initialDelayMs: 5, maxDelayMs: 40 },
    poll: { initialDelayMs: 5, maxDelayMs: 20, maxTotalMs: 10_000 },
    ...overrides,
  });
}

async function collect(run: VulnExport): Promise<ExportedChunk[]> {
  const chunks: ExportedChunk[] = [];
  for await (const chunk of run) chunks.push(chunk);
  return chunks;
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, TenableError);

function expectClass(error: TenableError, code: TenableErrorCode) {
  expect({ code: error.code, message: error.message }).toEqual({ code, message: expect.any(String) });
  for (const key of Object.values(sim.keys)) expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(key.secretKey);
}

const findingsOf = (chunks: ExportedChunk[]) => chunks.flatMap((c) => c.findings);
const statusPolls = () => sim.requestLog().filter((r) => r.path.endsWith("/status")).length;

describe("checkKeys", () => {
  it("reads the session and checks the export permission", async () => {
    expect(await client().checkKeys()).toEqual({ username: sim.keys.admin.username, permissions: 64 });
    expect(sim.requestLog().map((r) => `${r.method} ${r.path} ${r.statusCode}`)).toEqual([
      "GET /session 200",
      "GET /vulns/export/status 200",
    ]);
  });

  it("sends X-ApiKeys in Tenable's documented spelling and trims pasted keys", async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: '{"username":"x","permissions":64,"exports":[]}' }));
    try {
      await client({ baseUrl: receiver.url, accessKey: `  ${sim.keys.admin.accessKey}\n`, secretKey: ` ${sim.keys.admin.secretKey} ` }).checkKeys();
      expect(receiver.requests[0]?.headers["x-apikeys"]).toBe(`accessKey=${sim.keys.admin.accessKey}; secretKey=${sim.keys.admin.secretKey};`);
      expect(receiver.requests[0]?.headers["user-agent"]).toMatch(/^Postura\//);
    } finally {
      await receiver.close();
    }
  });

  it("classifies invalid keys, and refuses keys that cannot go into the header without a request", async () => {
    expectClass(await failure(client({ secretKey: "not-the-secret" }).checkKeys()), "invalid_keys");
    expect(() => client({ accessKey: "two words" })).toThrow(TenableError);
    expect(() => client({ secretKey: "a;b" })).toThrow(/refused these API keys/);
    expect(sim.requestLog()).toHaveLength(1);
  });

  it("classifies keys of a user without export permission", async () => {
    const error = await failure(client({ accessKey: sim.keys.basic.accessKey, secretKey: sim.keys.basic.secretKey }).checkKeys());
    expectClass(error, "missing_permission");
    expect(error.details.permission).toBe("export");
  });

  it("refuses a base URL that would send the keys over plain http to another machine", () => {
    expect(() => client({ baseUrl: "http://cloud.tenable.com" })).toThrow(/must use https/);
    expect(() => client({ baseUrl: "ftp://cloud.tenable.com" })).toThrow(/http\(s\) URL/);
    expect(client({ baseUrl: "https://cloud.tenable.com/" }).baseUrl).toBe("https://cloud.tenable.com");
    expect(client({ baseUrl: "http://localhost:4020" }).baseUrl).toBe("http://localhost:4020");
    expect(client({ baseUrl: "http://[::1]:4020" }).baseUrl).toBe("http://[::1]:4020");
    expect(createTenableClient({ accessKey: "a", secretKey: "b" }).baseUrl).toBe("https://cloud.tenable.com");
  });

  it("classifies an unreachable URL", async () => {
    const nowhere = await unusedLoopbackUrl();
    const error = await failure(client({ baseUrl: nowhere, retry: { maxAttempts: 2, initialDelayMs: 5 } }).checkKeys());
    expectClass(error, "network_unreachable");
    expect(error.message).toContain(new URL(nowhere).host);
  });

  it("classifies a base URL that is not Tenable's API (404, HTML, JSON of another shape)", async () => {
    const answers = [
      { status: 404, body: "<html>Not found</html>" },
      { status: 200, body: "<!doctype html><title>Sign in</title>" },
      { status: 200, body: "[1,2,3]" },
      { status: 200, body: '{"ok":true}' },
    ];
    for (const answer of answers) {
      const receiver = await startReceiver(() => answer);
      try {
        expectClass(await failure(client({ baseUrl: receiver.url }).checkKeys()), "wrong_base_url");
      } finally {
        await receiver.close();
      }
    }
  });
});

describe("exportSince", () => {
  it("always sends a since: the days window from the top of the hour, or an explicit early date for unlimited", () => {
    const now = new Date("2026-11-27T10:42:13Z");
    expect(exportSince({ days: 7 }, now)).toBe(Date.parse("2026-11-20T10:00:00Z") / 1000);
    expect(exportSince("unlimited", now)).toBe(UNLIMITED_SINCE_SECONDS);
    expect(UNLIMITED_SINCE_SECONDS).toBeGreaterThan(0);
    expect(exportSince({ since: new Date(0) }, now)).toBe(UNLIMITED_SINCE_SECONDS);
    expect(() => exportSince({ days: 0 }, now)).toThrow(/positive/);
    expect(() => exportSince({ days: 1.5 }, now)).toThrow(/whole/);
  });
});

describe("vulnerability export", () => {
  it("avoids the 30-day trap: a finding last seen 90 days ago comes only with an explicit early since", async () => {
    const old = sim.addFinding({ asset: { fqdn: "legacy.example.com" }, pluginId: 42873, lastFound: new Date(Date.now() - 90 * DAY_MS).toISOString() });
    const month = findingsOf(await collect(client().exportVulns({ window: { days: 30 } })));
    expect(month.some((f) => f.finding_id === old.finding_id)).toBe(false);
    const unlimited = findingsOf(await collect(client().exportVulns({ window: "unlimited" })));
    expect(unlimited.find((f) => f.finding_id === old.finding_id)).toMatchObject({ asset: { fqdn: "legacy.example.com" }, state: "OPEN" });
    expect(unlimited).toHaveLength(400 * 3 + 1);
    for (const job of sim.exportJobs()) {
      expect(job.criteria.echo).toMatchObject({ since: expect.any(Number), state: ["OPEN", "REOPENED", "FIXED"] });
    }
  });

  it("yields every chunk exactly once although they finish out of order, and reports progress", async () => {
    const progress: ExportProgress[] = [];
    const chunks = await collect(client().exportVulns({ window: "unlimited", numAssets: 50 }, { onProgress: (p) => progress.push(p) }));
    const ids = chunks.map((c) => c.chunkId);
    expect([...ids].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ids).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const findings = findingsOf(chunks);
    expect(findings).toHaveLength(1200);
    expect(new Set(findings.map((f) => findingIdentity(f))).size).toBe(1200);
    expect(progress[0]).toMatchObject({ status: "QUEUED", chunksDone: 0, chunksTotal: undefined, resumed: false });
    expect(progress.at(-1)).toMatchObject({ status: "FINISHED", chunksDone: 8, chunksTotal: 8, findings: 1200, chunksMissing: [] });
    const chunkGets = sim.requestLog().filter((r) => r.path.includes("/chunks/"));
    expect(chunkGets).toHaveLength(8);
  });

  it("streams: one chunk is read only when the consumer asks for it, and stopping early cancels the export", async () => {
    const run = client().exportVulns({ window: "unlimited", numAssets: 50 });
    const iterator = run[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(sim.requestLog().filter((r) => r.path.includes("/chunks/"))).toHaveLength(1);
    await iterator.return?.(undefined);
    expect(sim.requestLog().filter((r) => r.path.includes("/chunks/"))).toHaveLength(1);
    expect(sim.exportJob(run.exportUuid!)?.status).toBe("CANCELLED");
  });

  it("resumes the running export when Tenable answers 409", async () => {
    const request = { window: { days: 365 }, numAssets: 50 } as const;
    const first = await client().startVulnExport(request);
    expect(first.resumed).toBe(false);
    const progress: ExportProgress[] = [];
    const chunks = await collect(client().exportVulns(request, { onProgress: (p) => progress.push(p) }));
    expect(progress[0]).toMatchObject({ exportUuid: first.exportUuid, resumed: true });
    expect(chunks.every((c) => c.exportUuid === first.exportUuid)).toBe(true);
    expect(chunks).toHaveLength(8);
    expect(sim.exportJobs()).toHaveLength(1);
    expect(sim.requestLog().filter((r) => r.path === "/vulns/export").map((r) => r.statusCode)).toEqual([200, 409]);
  });

  it("honours 429 retry-after on status polls and chunk downloads", async () => {
    sim.injectFault({ kind: "429", retryAfter: { seconds: 1 }, count: 1, pathPrefix: "/vulns/export/", method: "GET" });
    const chunks = await collect(client().exportVulns({ window: "unlimited", numAssets: 50 }));
    expect(chunks).toHaveLength(8);
    const log = sim.requestLog();
    const limited = log.findIndex((r) => r.statusCode === 429);
    expect(limited).toBeGreaterThan(-1);
    expect(Date.parse(log[limited + 1]!.at) - Date.parse(log[limited]!.at)).toBeGreaterThanOrEqual(990);
  });

  it("retries a chunk whose download failed (503, or a body cut short) and still yields it once", async () => {
    sim.injectFault({ kind: "503", count: 2, pathPrefix: "/vulns/export/", method: "GET" });
    let cut = false;
    const fetchImpl: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!cut && String(input).includes("/chunks/")) {
        cut = true;
        return new Response((await response.text()).slice(0, 100), { status: 200 });
      }
      return response;
    };
    const chunks = await collect(client({ fetchImpl }).exportVulns({ window: "unlimited", numAssets: 50 }));
    expect(cut).toBe(true);
    expect(chunks.map((c) => c.chunkId).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(sim.requestLog().filter((r) => r.statusCode === 503)).toHaveLength(2);
  });

  it("times out a chunk download that hangs, retries it, and still yields every chunk once", async () => {
    sim.injectFault({ kind: "hang", count: 1, pathPrefix: "/vulns/export/", method: "GET" });
    const chunks = await collect(client({ timeoutMs: 300 }).exportVulns({ window: "unlimited", numAssets: 50 }));
    expect(chunks).toHaveLength(8);
    expect(sim.requestLog().filter((r) => r.statusCode === "hang")).toHaveLength(1);
  });

  it("asks again for a listed chunk that answers 'not ready', then reports it as failed", async () => {
    let asked = 0;
    const fetchImpl: typeof fetch = async (input, init) => {
      if (String(input).endsWith("/chunks/3")) {
        asked++;
        return new Response('{"error":"Chunk not ready"}', { status: 400 });
      }
      return fetch(input, init);
    };
    const seen: number[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of client({ fetchImpl, chunkAttempts: 2 }).exportVulns({ window: "unlimited", numAssets: 50 })) seen.push(chunk.chunkId);
      })(),
    );
    expectClass(error, "export_incomplete");
    expect(asked).toBe(2);
    expect(seen).toHaveLength(7);
    expect(error.details.chunksMissing).toEqual([{ chunkId: 3, reason: "failed" }]);
  });

  it("reports an export that turns ERROR, with the chunks read so far", async () => {
    sim.planNextExport({ errorAfterChunks: 3 });
    const seen: number[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of client().exportVulns({ window: "unlimited", numAssets: 50 })) seen.push(chunk.chunkId);
      })(),
    );
    expectClass(error, "export_failed");
    expect(seen).toHaveLength(3);
    expect(error.details).toMatchObject({ chunksDone: 3, reason: expect.any(String) });
  });

  it("reports expired and failed chunks after yielding every readable one, never dropping them silently", async () => {
    sim.planNextExport({ expireChunks: [2], failChunks: [5] });
    const seen: number[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of client().exportVulns({ window: "unlimited", numAssets: 50 })) seen.push(chunk.chunkId);
      })(),
    );
    expectClass(error, "export_incomplete");
    expect(seen.sort((a, b) => a - b)).toEqual([1, 3, 4, 6, 7, 8]);
    expect(error.details.chunksMissing).toEqual(
      expect.arrayContaining([
        { chunkId: 2, reason: "expired" },
        { chunkId: 5, reason: "failed" },
      ]),
    );
    expect(error.message).toMatch(/2 \(expired\).*5 \(failed\)|5 \(failed\).*2 \(expired\)/);
  });

  it("stops on CANCELLED (never polls it forever) and says it was cancelled in Tenable", async () => {
    sim.planNextExport({ cancelAfterChunks: 2 });
    const error = await failure(collect(client().exportVulns({ window: "unlimited", numAssets: 50 })));
    expectClass(error, "export_cancelled");
    expect(error.details.chunksDone).toBe(2);
    expect(error.details.chunksMissing).toHaveLength(6);
    const polls = statusPolls();
    expect(polls).toBeLessThanOrEqual(3);
  });

  it("cancels on request: Tenable's job is CANCELLED and the iteration ends without an error", async () => {
    const run = client().exportVulns({ window: "unlimited", numAssets: 50 });
    const seen: number[] = [];
    for await (const chunk of run) {
      seen.push(chunk.chunkId);
      if (seen.length === 2) await run.cancel();
    }
    expect(seen).toHaveLength(2);
    expect(sim.exportJob(run.exportUuid!)?.status).toBe("CANCELLED");
    expect(await client().cancelExport(run.exportUuid!)).toBe(false);
  });

  it("gives up with export_timeout and cancels the export when Tenable never finishes", async () => {
    const slow = await startTenableSimulator({ port: 0, assets: 60, findingsPerAsset: 1, exportTiming: { queuedPolls: 1000 } });
    try {
      const run = createTenableClient({
        baseUrl: slow.baseUrl,
        accessKey: slow.keys.admin.accessKey,
        secretKey: slow.keys.admin.secretKey,
        poll: { initialDelayMs: 5, maxDelayMs: 20, maxTotalMs: 200 },
      }).exportVulns({ window: "unlimited" });
      expectClass(await failure(collect(run)), "export_timeout");
      expect(slow.exportJob(run.exportUuid!)?.status).toBe("CANCELLED");
    } finally {
      await slow.close();
    }
  });

  it("puts a rebuilt asset (new uuid, same fqdn and ipv4) on the node it had", async () => {
    const nodes = new NodeIndex();
    const assetsByNode = new Map<string, Set<string>>();
    for (const finding of findingsOf(await collect(client().exportVulns({ window: "unlimited", numAssets: 50 })))) {
      const node = nodes.resolve(finding.asset);
      assetsByNode.set(node, (assetsByNode.get(node) ?? new Set()).add(finding.asset.uuid));
    }
    // The seed rebuilds every 50th asset: 400 assets are 392 hosts, 8 of them known by two asset uuids.
    expect(assetsByNode.size).toBe(392);
    expect([...assetsByNode.values()].filter((uuids) => uuids.size === 2)).toHaveLength(8);
  });

  it("follows successive scans that fix, reopen and add findings, with stable identities", async () => {
    const nodes = new NodeIndex();
    const read = async () => {
      const byIdentity = new Map<string, TenableFinding>();
      for (const finding of findingsOf(await collect(client().exportVulns({ window: "unlimited", numAssets: 50 })))) {
        byIdentity.set(findingIdentity(finding, nodes.resolve(finding.asset)), finding);
      }
      return byIdentity;
    };
    const before = await read();
    const scan = sim.runScan({ assets: 20, fix: 5, reopen: 3, add: 4 });
    const after = await read();
    expect(after.size).toBe(before.size + 4);
    const identityOf = (ref: { assetUuid: string; pluginId: number; port: number; protocol: string }) =>
      `${ref.assetUuid}|${ref.pluginId}|${ref.port}|${ref.protocol.toLowerCase()}`;
    expect(scan.fixed.map((ref) => after.get(identityOf(ref))?.state)).toEqual(Array(5).fill("FIXED"));
    expect(scan.reopened.map((ref) => after.get(identityOf(ref))?.state)).toEqual(Array(3).fill("REOPENED"));
    expect(scan.added.map((ref) => [before.has(identityOf(ref)), after.get(identityOf(ref))?.state])).toEqual(Array(4).fill([false, "OPEN"]));
    const seenAgain = [...after].find(([identity, f]) => f.scan?.uuid === scan.scan.uuid && before.get(identity)?.state === "OPEN" && f.state === "OPEN");
    expect(seenAgain).toBeDefined();
    expect(seenAgain![1].output).not.toBe(before.get(seenAgain![0])?.output);
  });
});

describe("asset import", () => {
  it("sends batches under 5 MB, records every job, and names assets it cannot send", async () => {
    const assets = Array.from({ length: 60_000 }, (_, i) => ({
      fqdn: [`host-${i}.a-long-internal-domain-name-for-batching.example.com`],
      ipv4: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`],
    }));
    const result = await client().importAssets([...assets, { hostname: ["nameless"] }], "Postura test");
    expect(result.jobs.length).toBeGreaterThanOrEqual(2);
    expect(result.jobs.every((j) => j.bytes <= 5_000_000)).toBe(true);
    expect(result.jobs.reduce((n, j) => n + j.assets, 0)).toBe(60_000);
    expect(result.skipped).toEqual([{ index: 60_000, reason: expect.stringMatching(/no fqdn/) }]);
    const recorded = sim.assetImports();
    expect(recorded.map((r) => r.jobUuid)).toEqual(result.jobs.map((j) => j.jobUuid));
    expect(recorded.flatMap((r) => r.assets)).toEqual(assets);
    expect(recorded.every((r) => r.source === "Postura test" && r.bytes <= 5_000_000)).toBe(true);
  });

  it("needs a Scan Manager's keys", async () => {
    const error = await failure(
      client({ accessKey: sim.keys.standard.accessKey, secretKey: sim.keys.standard.secretKey }).importAssets([{ fqdn: ["a.example.com"] }]),
    );
    expectClass(error, "missing_permission");
    expect(error.details.permission).toBe("asset_import");
  });
});

describe("lenient records", () => {
  it("reads findings with omitted or null attributes, and skips and names a bad one", async () => {
    const findings = [
      { asset: { uuid: "a-1", ipv4: "10.0.0.1" }, plugin: { id: 19506, name: "Nessus Scan Information" }, port: { port: 0 }, severity: "INFO", state: "open", last_found: "2026-11-01T00:00:00Z" },
      { asset: { uuid: "a-2", fqdn: null, hostname: "", operating_system: "Linux" }, plugin: { id: "42873", name: "SWEET32", cve: null, vpr: { score: 6.1 } }, port: { port: 443, protocol: "TCP" }, severity: "high", state: "FIXED", last_found: "2026-10-01T00:00:00Z", last_fixed: "2026-11-01T00:00:00Z" },
      { asset: { uuid: "a-3" }, plugin: { id: 1, name: "x" }, severity: "severe", state: "OPEN", finding_id: "bad-one" },
    ];
    const receiver = await startReceiver(() => ({ status: 200, body: JSON.stringify(findings), headers: { "content-type": "application/octet-stream" } }));
    try {
      const chunk = await client({ baseUrl: receiver.url }).downloadChunk("00000000-0000-4000-8000-000000000000", 1);
      expect(chunk.findings).toHaveLength(2);
      const [info, fixed] = chunk.findings;
      expect(info).toMatchObject({ severity: "info", state: "OPEN", port: { port: 0 } });
      expect(info?.port.protocol).toBeUndefined();
      expect(fixed).toMatchObject({ asset: { operating_system: ["Linux"] }, plugin: { id: 42873, vpr: { score: 6.1 } }, state: "FIXED" });
      expect([fixed?.asset.fqdn, fixed?.asset.hostname, fixed?.plugin.cve]).toEqual([undefined, undefined, undefined]);
      expect(chunk.skipped).toEqual([{ chunkId: 1, index: 2, findingId: "bad-one", field: "severity", message: expect.stringContaining("severity") }]);
    } finally {
      await receiver.close();
    }
  });
});

describe("identity", () => {
  const finding = (asset: Partial<TenableFinding["asset"]> & { uuid: string }, protocol = "TCP", output = "x") =>
    ({ asset, plugin: { id: 42873, name: "SWEET32" }, port: { port: 443, protocol }, output }) as TenableFinding;

  it("is node + plugin + port + lowercase protocol, and never the output", () => {
    expect(findingIdentity(finding({ uuid: "a" }, "TCP", "scan 1"))).toBe(findingIdentity(finding({ uuid: "a" }, "tcp", "scan 2")));
    expect(findingIdentity(finding({ uuid: "a" }))).toBe("a|42873|443|tcp");
    expect(findingIdentity(finding({ uuid: "a" }), "node-1")).toBe("node-1|42873|443|tcp");
    expect(findingIdentity(finding({ uuid: "a" }, "UDP"))).not.toBe(findingIdentity(finding({ uuid: "a" })));
  });

  it("resolves a node by asset uuid, then fqdn, then ipv4, when Tenable's asset ids differ", () => {
    const nodes = new NodeIndex([{ node: "stored-node", uuid: "u-0", fqdn: "db.example.com" }]);
    expect(nodes.resolve({ uuid: "u-1", fqdn: "web.example.com", ipv4: "10.0.0.1" })).toBe("u-1");
    expect(nodes.resolve({ uuid: "u-2", fqdn: "WEB.example.com.", ipv4: "10.0.0.9" })).toBe("u-1");
    expect(nodes.resolve({ uuid: "u-3", ipv4: "10.0.0.1" })).toBe("u-1");
    expect(nodes.resolve({ uuid: "u-4", fqdn: "db.example.com" })).toBe("stored-node");
    expect(nodes.resolve({ uuid: "u-5", fqdn: "other.example.com", ipv4: "10.0.0.5" })).toBe("u-5");
    expect(nodes.resolve({ uuid: "u-2" })).toBe("u-1");
  });

  it("keeps the most recent result of a node", () => {
    const older = { state: "OPEN", last_found: "2026-10-01T00:00:00Z" } as TenableFinding;
    const fixedLater = { state: "FIXED", last_found: "2026-09-01T00:00:00Z", last_fixed: "2026-11-01T00:00:00Z" } as TenableFinding;
    expect(moreRecentResult(older, fixedLater)).toBe(fixedLater);
    expect(moreRecentResult(fixedLater, older)).toBe(fixedLater);
  });
});

describe("scale", () => {
  it("exports 100,000 findings on 5,000 assets, streamed chunk by chunk", { timeout: 300_000 }, async () => {
    const big = await startTenableSimulator({ port: 0, seed: 5, assets: 5000, findingsPerAsset: 20 });
    try {
      const started = performance.now();
      let count = 0;
      let largestChunk = 0;
      const identities = new Set<string>();
      const run = createTenableClient({
        baseUrl: big.baseUrl,
        accessKey: big.keys.admin.accessKey,
        secretKey: big.keys.admin.secretKey,
        poll: { initialDelayMs: 5, maxDelayMs: 20 },
      }).exportVulns({ window: "unlimited", numAssets: 500 });
      for await (const chunk of run) {
        count += chunk.findings.length;
        largestChunk = Math.max(largestChunk, chunk.findings.length);
        for (const finding of chunk.findings) identities.add(findingIdentity(finding));
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `Tenable scale smoke: ${count} findings on 5,000 assets in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} findings/s), ` +
          `largest chunk ${largestChunk}, RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
      );
      expect(count).toBe(100_000);
      expect(identities.size).toBe(100_000);
      expect(largestChunk).toBe(10_000);
    } finally {
      await big.close();
    }
  });
});
