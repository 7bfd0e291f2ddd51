import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DUPLICATE_EXPORT_REASON, type TenableFinding } from "./conventions";
import { apiKeysHeader, type TenableKey } from "./keys";
import { DAY_MS, TWIN_EVERY, seededAsset } from "./seed";
import { startTenableSimulator, type TenableSimulator } from "./server";

let sim: TenableSimulator;

beforeAll(async () => {
  sim = await startTenableSimulator({ port: 0, seed: 7, assets: 400, findingsPerAsset: 3 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

interface Call {
  key?: Pick<TenableKey, "accessKey" | "secretKey">;
  header?: string;
  method?: string;
  body?: unknown;
  rawBody?: string;
}

async function api(path: string, call: Call = {}) {
  const headers: Record<string, string> = {};
  const header = call.header ?? apiKeysHeader(call.key ?? sim.keys.admin);
  if (header !== "") headers["x-apikeys"] = header;
  const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${sim.baseUrl}${path}`, { method: call.method ?? (body === undefined ? "GET" : "POST"), headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, unknown> & unknown[] };
}

async function startExport(body: unknown = {}): Promise<string> {
  const res = await api("/vulns/export", { body });
  expect(res.status).toBe(200);
  return res.json.export_uuid as string;
}

/** Polls until a final status, downloading each chunk once as it appears. */
async function runExport(uuid: string) {
  const findings: TenableFinding[] = [];
  const order: number[] = [];
  const statuses: string[] = [];
  for (;;) {
    const status = (await api(`/vulns/export/${uuid}/status`)).json as unknown as {
      status: string;
      chunks_available: number[];
      total_chunks: number;
    };
    statuses.push(status.status);
    for (const chunk of status.chunks_available) {
      if (order.includes(chunk)) continue;
      order.push(chunk);
      const res = await api(`/vulns/export/${uuid}/chunks/${chunk}`);
      if (res.status === 200) findings.push(...(res.json as unknown as TenableFinding[]));
    }
    if (!["QUEUED", "PROCESSING"].includes(status.status)) return { findings, order, statuses, last: status };
  }
}

const exportAll = async (body: unknown = {}) => runExport(await startExport(body));
const EARLY = { since: 946_684_800, state: ["OPEN", "REOPENED", "FIXED"] };

describe("authentication", () => {
  it("accepts X-ApiKeys with or without the trailing ';' and with or without the space", async () => {
    const { accessKey, secretKey } = sim.keys.admin;
    for (const header of [
      `accessKey=${accessKey}; secretKey=${secretKey};`,
      `accessKey=${accessKey};secretKey=${secretKey}`,
      `accessKey=${accessKey};secretKey=${secretKey};`,
    ]) {
      const res = await api("/session", { header });
      expect(res.status, header).toBe(200);
      expect(res.json).toMatchObject({ username: sim.keys.admin.username, permissions: 64 });
    }
  });

  it("answers 401 with Tenable's exact body for a missing, malformed or wrong key pair", async () => {
    const { accessKey, secretKey } = sim.keys.admin;
    for (const header of ["", `accessKey=${accessKey}`, `accessKey=${accessKey}; secretKey=wrong;`, `secretKey=${secretKey}; accessKey=${accessKey};`]) {
      const res = await api("/session", { header });
      expect(res.status, header).toBe(401);
      expect(res.text).toBe('{"statusCode":401,"error":"Unauthorized","message":"Invalid credentials."}');
    }
  });

  it("answers 403 to keys without export permission, and to asset import without Scan Manager", async () => {
    expect((await api("/session", { key: sim.keys.basic })).status).toBe(200);
    expect((await api("/vulns/export", { key: sim.keys.basic, body: {} })).status).toBe(403);
    expect((await api("/vulns/export/status", { key: sim.keys.basic })).status).toBe(403);
    expect((await api("/vulns/export", { key: sim.keys.standard, body: {} })).status).toBe(200);
    const imported = await api("/import/assets", { key: sim.keys.standard, body: { source: "t", assets: [{ fqdn: ["a.example.com"] }] } });
    expect(imported.status).toBe(403);
    expect(imported.json).toMatchObject({ statusCode: 403, error: "Forbidden" });
  });
});

describe("vulnerability export", () => {
  it("goes QUEUED → PROCESSING → FINISHED over polls, chunks finishing out of order, each downloadable once ready", async () => {
    const uuid = await startExport({ num_assets: 50, filters: EARLY });
    const queued = await api(`/vulns/export/${uuid}/status`);
    expect(queued.json).toMatchObject({ status: "QUEUED", chunks_available: [], uuid });
    expect((await api(`/vulns/export/${uuid}/chunks/1`)).status).toBe(400);
    const { order, statuses, last, findings } = await runExport(uuid);
    expect(statuses).toEqual(["PROCESSING", "PROCESSING", "FINISHED"]);
    expect(last).toMatchObject({ total_chunks: 8, chunks_failed: [], num_assets_per_chunk: 50, finished_chunks: 8 });
    expect([...order].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(order).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(findings).toHaveLength(400 * 3);
    const chunk = await api(`/vulns/export/${uuid}/chunks/${order[0]}`);
    expect(chunk.headers.get("content-type")).toBe("application/octet-stream");
    expect((await api(`/vulns/export/${uuid}/chunks/9`)).status).toBe(404);
    expect((await api(`/vulns/export/00000000-0000-4000-8000-000000000000/status`)).status).toBe(404);
  });

  it("clamps num_assets into 50..5000 and refuses bad filters", async () => {
    const low = await startExport({ num_assets: 3, filters: EARLY });
    expect((await api(`/vulns/export/${low}/status`)).json.num_assets_per_chunk).toBe(50);
    const high = await startExport({ num_assets: 99_999 });
    expect((await api(`/vulns/export/${high}/status`)).json.num_assets_per_chunk).toBe(5000);
    expect((await api("/vulns/export", { body: { filters: { state: ["CLOSED"] } } })).status).toBe(400);
    expect((await api("/vulns/export", { body: { filters: { severity: ["severe"] } } })).status).toBe(400);
    expect((await api("/vulns/export", { body: { filters: { since: 1, last_found: 1 } } })).status).toBe(400);
    expect((await api("/vulns/export", { body: { filters: { since: "yesterday" } } })).status).toBe(400);
  });

  it("serves every field the issue lists, with a vpr object and empty attributes omitted", async () => {
    const { findings } = await exportAll({ filters: EARLY });
    const withVpr = findings.find((f) => f.plugin.vpr !== undefined && f.plugin.cve !== undefined);
    expect(withVpr).toBeDefined();
    expect(withVpr).toMatchObject({
      asset: { uuid: expect.any(String), ipv4: expect.stringMatching(/^10\./), operating_system: [expect.any(String)] },
      plugin: {
        id: expect.any(Number),
        name: expect.any(String),
        family: expect.any(String),
        cve: [expect.stringMatching(/^CVE-/)],
        solution: expect.any(String),
        synopsis: expect.any(String),
        description: expect.any(String),
        cvss3_base_score: expect.any(Number),
        vpr: { score: expect.any(Number) },
      },
      port: { port: expect.any(Number), protocol: expect.stringMatching(/^(TCP|UDP)$/), service: expect.any(String) },
      scan: { uuid: expect.any(String), started_at: expect.any(String) },
      severity: expect.stringMatching(/^(info|low|medium|high|critical)$/),
      severity_id: expect.any(Number),
      first_found: expect.any(String),
      last_found: expect.any(String),
      output: expect.any(String),
    });
    const info = findings.find((f) => f.severity === "info");
    expect(info?.plugin).not.toHaveProperty("cvss3_base_score");
    expect(info?.plugin).not.toHaveProperty("cve");
    const fixed = findings.find((f) => f.state === "FIXED");
    expect(fixed?.last_fixed).toEqual(expect.any(String));
    expect(findings.find((f) => f.state === "OPEN")).not.toHaveProperty("last_fixed");
    expect(findings.some((f) => f.state === "REOPENED")).toBe(true);
    const ipOnly = findings.find((f) => f.asset.fqdn === undefined);
    expect(ipOnly?.asset).not.toHaveProperty("hostname");
  });

  it("without a time filter returns only the last 30 days (and OPEN/REOPENED); an early since returns all", async () => {
    const now = Date.now();
    const old = sim.addFinding({ asset: { fqdn: "legacy.example.com" }, pluginId: 42873, lastFound: new Date(now - 90 * DAY_MS).toISOString() });
    const unfiltered = (await exportAll({})).findings;
    expect(unfiltered.some((f) => f.finding_id === old.finding_id)).toBe(false);
    expect(unfiltered.every((f) => f.state !== "FIXED" && Date.parse(f.last_found) >= now - 30 * DAY_MS - 60_000)).toBe(true);
    const zero = (await exportAll({ filters: { since: 0 } })).findings;
    expect(zero.some((f) => f.finding_id === old.finding_id)).toBe(false);
    const early = (await exportAll({ filters: EARLY })).findings;
    expect(early.some((f) => f.finding_id === old.finding_id)).toBe(true);
    expect(early.length).toBeGreaterThan(unfiltered.length);
    expect(early.length).toBe(400 * 3 + 1);
  });

  it("filters by since (OPEN/REOPENED on last_found, FIXED on last_fixed), state and severity", async () => {
    const since = Math.floor((Date.now() - 10 * DAY_MS) / 1000);
    const all = (await exportAll({ filters: EARLY })).findings;
    const recent = (await exportAll({ filters: { since, state: ["open", "fixed"], severity: ["HIGH", "critical"] } })).findings;
    const expected = all.filter(
      (f) =>
        (f.state === "OPEN" || f.state === "FIXED") &&
        (f.severity === "high" || f.severity === "critical") &&
        Date.parse((f.state === "FIXED" ? f.last_fixed : f.last_found) ?? "") >= since * 1000,
    );
    expect(recent.map((f) => f.finding_id).sort()).toEqual(expected.map((f) => f.finding_id).sort());
    expect(expected.length).toBeGreaterThan(0);
  });

  it("answers 409 with active_job_id for a duplicate of a running export, and accepts it again once finished", async () => {
    const uuid = await startExport({ filters: EARLY });
    const duplicate = await api("/vulns/export", { body: { filters: EARLY } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json).toEqual({ active_job_id: uuid, failure_reason: DUPLICATE_EXPORT_REASON });
    expect((await api("/vulns/export", { body: { filters: { ...EARLY, severity: ["high"] } } })).status).toBe(200);
    await runExport(uuid);
    expect((await api("/vulns/export", { body: { filters: EARLY } })).status).toBe(200);
  });

  it("answers 429 with retry-after and an HTML body over the concurrent export limit", async () => {
    const limited = await startTenableSimulator({ port: 0, assets: 10, findingsPerAsset: 1, maxActiveExports: 2 });
    try {
      const post = (since: number) =>
        fetch(`${limited.baseUrl}/vulns/export`, {
          method: "POST",
          headers: { "x-apikeys": apiKeysHeader(limited.keys.admin), "content-type": "application/json" },
          body: JSON.stringify({ filters: { since } }),
        });
      expect((await post(1_000_000_000)).status).toBe(200);
      expect((await post(1_000_000_001)).status).toBe(200);
      const refused = await post(1_000_000_002);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(refused.headers.get("content-type")).toMatch(/text\/html/);
      expect(await refused.text()).toMatch(/<html>/);
    } finally {
      await limited.close();
    }
  });

  it("cancels: remaining chunks are cancelled, released ones stay downloadable, a second cancel is refused", async () => {
    const uuid = await startExport({ num_assets: 50, filters: EARLY });
    await api(`/vulns/export/${uuid}/status`);
    const processing = (await api(`/vulns/export/${uuid}/status`)).json as unknown as { chunks_available: number[] };
    expect(processing.chunks_available).toHaveLength(3);
    const cancel = await api(`/vulns/export/${uuid}/cancel`, { method: "POST" });
    expect(cancel.json).toEqual({ status: "CANCELLED" });
    const after = (await api(`/vulns/export/${uuid}/status`)).json as unknown as { status: string; chunks_cancelled: number[] };
    expect(after.status).toBe("CANCELLED");
    expect(after.chunks_cancelled).toHaveLength(5);
    expect((await api(`/vulns/export/${uuid}/chunks/${processing.chunks_available[0]}`)).status).toBe(200);
    expect((await api(`/vulns/export/${uuid}/chunks/${after.chunks_cancelled[0]}`)).status).toBe(404);
    expect((await api(`/vulns/export/${uuid}/cancel`, { method: "POST" })).status).toBe(400);
  });

  it("fails, expires and errors chunks on demand", async () => {
    sim.planNextExport({ failChunks: [2], expireChunks: [3] });
    const planned = await exportAll({ num_assets: 50, filters: EARLY });
    expect(planned.last).toMatchObject({ status: "FINISHED", chunks_failed: [2], chunks_available: expect.arrayContaining([1, 3]) });
    expect(planned.last.chunks_available).toHaveLength(7);
    const uuid = sim.exportJobs()[0]!.uuid;
    expect((await api(`/vulns/export/${uuid}/chunks/2`)).status).toBe(404);
    expect((await api(`/vulns/export/${uuid}/chunks/3`)).status).toBe(404);
    expect((await api(`/vulns/export/${uuid}/chunks/1`)).status).toBe(200);

    const running = await startExport({ num_assets: 50, filters: { ...EARLY, severity: ["low"] } });
    await api(`/vulns/export/${running}/status`);
    const released = ((await api(`/vulns/export/${running}/status`)).json as unknown as { chunks_available: number[] }).chunks_available;
    const control = (path: string) => fetch(`${sim.url}/__control/exports/${running}${path}`, { method: "POST" });
    expect((await control(`/chunks/${released[0]}/fail`)).status).toBe(200);
    expect((await control(`/chunks/${released[1]}/expire`)).status).toBe(200);
    expect((await control("/error")).status).toBe(200);
    expect((await api(`/vulns/export/${running}/status`)).json).toMatchObject({ status: "ERROR", chunks_failed: [released[0]] });
    expect((await api(`/vulns/export/${running}/chunks/${released[1]}`)).status).toBe(404);
    expect((await api(`/vulns/export/${running}/chunks/${released[2]}`)).status).toBe(200);

    sim.planNextExport({ errorAfterChunks: 1 });
    const failed = await exportAll({ num_assets: 50, filters: { ...EARLY, severity: ["high"] } });
    expect(failed.last).toMatchObject({ status: "ERROR", reason: expect.any(String) });
    expect(failed.order).toHaveLength(1);
  });
});

describe("scans (control API)", () => {
  it("fix, reopen and add findings, and move last_found of findings seen again", async () => {
    const before = (await exportAll({ filters: EARLY })).findings;
    const control = await fetch(`${sim.url}/__control/scans`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assets: 10, fix: 3, reopen: 2, add: 4 }),
    });
    expect(control.status).toBe(201);
    const scan = (await control.json()) as { scan: { uuid: string; started_at: string }; fixed: unknown[]; reopened: unknown[]; added: unknown[]; seenAgain: number };
    expect([scan.fixed.length, scan.reopened.length, scan.added.length]).toEqual([3, 2, 4]);
    const after = (await exportAll({ filters: EARLY })).findings;
    expect(after).toHaveLength(before.length + 4);
    const key = (f: TenableFinding) => `${f.asset.uuid}|${f.plugin.id}|${f.port.port}|${f.port.protocol}`;
    const byKey = new Map(after.map((f) => [key(f), f]));
    for (const ref of scan.fixed as { assetUuid: string; pluginId: number; port: number; protocol: string }[]) {
      const finding = byKey.get(`${ref.assetUuid}|${ref.pluginId}|${ref.port}|${ref.protocol}`);
      expect(finding).toMatchObject({ state: "FIXED", last_fixed: scan.scan.started_at, scan: { uuid: scan.scan.uuid } });
    }
    for (const ref of scan.reopened as { assetUuid: string; pluginId: number; port: number; protocol: string }[]) {
      expect(byKey.get(`${ref.assetUuid}|${ref.pluginId}|${ref.port}|${ref.protocol}`)).toMatchObject({ state: "REOPENED", last_found: scan.scan.started_at });
    }
    const stillOpen = after.filter((f) => f.scan.uuid === scan.scan.uuid && f.state !== "FIXED");
    expect(stillOpen.length).toBe(scan.seenAgain + 2 + 4);
    const previous = new Map(before.map((f) => [key(f), f]));
    const seenAgain = stillOpen.find((f) => previous.has(key(f)));
    expect(seenAgain?.output).not.toBe(previous.get(key(seenAgain!))?.output);
    expect(seenAgain?.finding_id).toBe(previous.get(key(seenAgain!))?.finding_id);
  });
});

describe("asset import", () => {
  it("records assets with an fqdn or ipv4 and returns a job uuid", async () => {
    const res = await api("/import/assets", { body: { source: "Postura", assets: [{ fqdn: ["api.example.com"] }, { ipv4: ["10.0.0.1"] }] } });
    expect(res.status).toBe(200);
    const job = res.json.asset_import_job_uuid as string;
    expect(job).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.assetImports()).toEqual([expect.objectContaining({ jobUuid: job, source: "Postura", assets: [{ fqdn: ["api.example.com"] }, { ipv4: ["10.0.0.1"] }] })]);
    expect((await api(`/import/asset-jobs/${job}`)).json).toMatchObject({ job_id: job, status: "COMPLETE", total_assets: 2 });
  });

  it("refuses an asset without identifiers, a missing source, and a request over 5 MB", async () => {
    expect((await api("/import/assets", { body: { source: "Postura", assets: [{ fqdn: ["a.com"] }, { hostname: ["x"] }] } })).json).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining("assets[1]"),
    });
    expect((await api("/import/assets", { body: { assets: [{ fqdn: ["a.com"] }] } })).status).toBe(400);
    const big = { source: "Postura", assets: Array.from({ length: 100_000 }, (_, i) => ({ fqdn: [`host-${i}.a-rather-long-domain-name.example.com`] })) };
    const rawBody = JSON.stringify(big);
    expect(rawBody.length).toBeGreaterThan(5 * 1024 * 1024);
    expect((await api("/import/assets", { rawBody })).status).toBe(413);
    expect(sim.assetImports()).toEqual([]);
  });
});

describe("seeded data", () => {
  it("is deterministic for a seed, with rebuilt twins that share an fqdn and ipv4 under a new uuid", async () => {
    const options = { seed: 3, assets: 100, findingsPerAsset: 4 };
    const epoch = Date.parse("2026-11-20T00:00:00Z");
    expect(seededAsset(options, epoch, 10)).toEqual(seededAsset(options, epoch, 10));
    expect(seededAsset(options, epoch, 10).asset.uuid).not.toBe(seededAsset({ ...options, seed: 4 }, epoch, 10).asset.uuid);
    const original = seededAsset(options, epoch, TWIN_EVERY - 2);
    const twin = seededAsset(options, epoch, TWIN_EVERY - 1);
    expect(twin.asset.uuid).not.toBe(original.asset.uuid);
    expect([twin.asset.fqdn, twin.asset.ipv4]).toEqual([original.asset.fqdn, original.asset.ipv4]);
    expect(twin.lastScanAt).toBeLessThan(original.lastScanAt);
  });

  it("gives the first assets the FQDNs it is told (so Salt's hosts meet Tenable's)", async () => {
    const named = await startTenableSimulator({ port: 0, assets: 3, findingsPerAsset: 1, fqdns: ["api.acme-payments.com"] });
    try {
      expect(named.data.asset(0)).toMatchObject({ fqdn: "api.acme-payments.com", hostname: "api" });
      expect(named.data.asset(1).fqdn).not.toBe("api.acme-payments.com");
    } finally {
      await named.close();
    }
  });
});

describe("faults", () => {
  it("answer 429 as HTML with retry-after, and 503 as JSON", async () => {
    sim.injectFault({ kind: "429", retryAfter: { seconds: 2 }, count: 1, pathPrefix: "/vulns" });
    const limited = await api("/vulns/export", { body: {} });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.text).toMatch(/429 Too Many Requests/);
    sim.injectFault({ kind: "503", count: 1 });
    expect((await api("/session")).json).toMatchObject({ statusCode: 503 });
    expect((await api("/session")).status).toBe(200);
    expect(sim.requestLog().map((r) => r.statusCode)).toEqual([429, 503, 200]);
  });
});
