import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VM_PATHS, type VmAssessment, type VmVulnerability } from "../../server/integrations/snapsec-vm/contract";
import { sampleVulnerability } from "./fixtures";
import { callJson, simulatorPerFile } from "./testing";

const simulator = simulatorPerFile();

interface Call {
  method?: string;
  body?: unknown;
  /** Default: the admin key as x-api-key. null sends no key. */
  key?: string | null;
  bearer?: string;
  headers?: Record<string, string>;
  redirect?: RequestRedirect;
}

function api(path: string, call: Call = {}) {
  const sim = simulator();
  const headers: Record<string, string> = { ...call.headers };
  if (call.bearer !== undefined) headers.authorization = call.bearer;
  else if (call.key !== null) headers["x-api-key"] = call.key ?? sim.keys.admin.key;
  return callJson(`${sim.url}${path}`, { method: call.method, headers, json: call.body, redirect: call.redirect });
}

async function control(path: string, method = "GET", body?: unknown) {
  const { status, json } = await callJson(`${simulator().url}/__control${path}`, { method, json: body });
  return { status, json: json as unknown };
}

const errorCode = (json: Record<string, unknown> | null) => (json?.error as { code?: string } | undefined)?.code;

const firstAssessment = () => simulator().state.listAssessments({ offset: 0, limit: 1 }).data[0] as VmAssessment;

const vulnerability = sampleVulnerability;

async function bulk(assessmentId: string, vulnerabilities: unknown[], key?: string) {
  return api(VM_PATHS.bulkUpsert, { method: "POST", body: { assessmentId, vulnerabilities }, key });
}

describe("auth", () => {
  it("accepts the key as x-api-key or as a Bearer token, and says who it is", async () => {
    const viaHeader = await api(VM_PATHS.workspace);
    const viaBearer = await api(VM_PATHS.workspace, { bearer: `Bearer ${simulator().keys.manager.key}` });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.json).toEqual({
      data: { workspace: { id: "ws_demo", name: expect.any(String) }, key: { name: "Postura (admin)", role: "admin" } },
    });
    expect(viaBearer.json).toMatchObject({ data: { key: { role: "manager" } } });
    expect(simulator().requestLog().map((r) => r.auth)).toEqual(["x-api-key", "bearer"]);
  });

  it("refuses a missing, unknown, padded or revoked key with 401 at once", async () => {
    const missing = await api(VM_PATHS.workspace, { key: null });
    const unknown = await api(VM_PATHS.workspace, { key: "vm-not-a-key" });
    const padded = await api(VM_PATHS.workspace, { bearer: `Bearer  ${simulator().keys.admin.key}` });
    const revoked = await api(VM_PATHS.workspace, { key: simulator().keys.revoked.key });
    expect([missing.status, unknown.status, padded.status, revoked.status]).toEqual([401, 401, 401, 401]);
    expect([errorCode(missing.json), errorCode(unknown.json), errorCode(padded.json), errorCode(revoked.json)]).toEqual([
      "UNAUTHORIZED",
      "INVALID_API_KEY",
      "INVALID_API_KEY",
      "API_KEY_REVOKED",
    ]);
  });

  it("accepts a header-bound key only with its header, naming the header but not its value", async () => {
    const without = await api(VM_PATHS.workspace, { key: simulator().keys.headerBound.key });
    const wrong = await api(VM_PATHS.workspace, { key: simulator().keys.headerBound.key, headers: { "x-snapsec-tenant": "other" } });
    const right = await api(VM_PATHS.workspace, { key: simulator().keys.headerBound.key, headers: { "X-Snapsec-Tenant": "acme" } });
    expect(without.status).toBe(403);
    expect(without.json).toEqual({ error: { code: "MISSING_REQUIRED_HEADER", message: expect.any(String), header: "x-snapsec-tenant" } });
    expect(wrong.status).toBe(403);
    expect(wrong.text).not.toContain("acme");
    expect(right.status).toBe(200);
  });

  it("lets an auditor read but not write", async () => {
    const auditor = simulator().keys.auditor.key;
    expect((await api(VM_PATHS.assessments, { key: auditor })).status).toBe(200);
    const create = await api(VM_PATHS.assessments, { method: "POST", body: { name: "x" }, key: auditor });
    const upsert = await bulk(firstAssessment().id, [vulnerability(1)], auditor);
    expect([create.status, upsert.status]).toEqual([403, 403]);
    expect(errorCode(upsert.json)).toBe("FORBIDDEN");
    expect(simulator().state.counts()).toEqual({ assessments: 3, vulnerabilities: 0 });
  });

  it("revokes and adds keys through the control API", async () => {
    expect((await control("/keys/revoke", "POST", { key: simulator().keys.admin.key })).status).toBe(200);
    expect(errorCode((await api(VM_PATHS.workspace)).json)).toBe("API_KEY_REVOKED");
    expect((await control("/keys", "POST", { key: "vm-extra", role: "auditor" })).status).toBe(201);
    expect((await api(VM_PATHS.workspace, { key: "vm-extra" })).json).toMatchObject({ data: { key: { role: "auditor" } } });
    expect((await control("/keys", "POST", { key: "vm-bad", role: "owner" })).status).toBe(400);
    expect((await control("/keys", "POST", { key: "vm-bad", requiredHeaders: "x-tenant: acme" })).status).toBe(400);
    expect((await control("/keys", "POST", { key: "vm-bound", requiredHeaders: { "X-Tenant": "acme" } })).status).toBe(201);
    const bound = await api(VM_PATHS.workspace, { key: "vm-bound", headers: { "x-tenant": "acme" } });
    expect(bound.status).toBe(200);
  });
});

describe("gateway", () => {
  const required = { "cf-access-client-id": "client.access", "cf-access-client-secret": "s3cret-value" };

  it("answers 403 with an HTML login page when a required header is missing, before any key check", async () => {
    await control("/gateway", "PUT", { headers: required });
    const without = await api(VM_PATHS.workspace);
    const partial = await api(VM_PATHS.workspace, { headers: { "cf-access-client-id": "client.access" } });
    const badKey = await api(VM_PATHS.workspace, { key: "nope" });
    for (const answer of [without, partial, badKey]) {
      expect(answer.status).toBe(403);
      expect(answer.headers.get("content-type")).toMatch(/text\/html/);
      expect(answer.text).toMatch(/<!DOCTYPE html>[\s\S]*Sign in/);
    }
    const through = await api(VM_PATHS.workspace, { headers: required });
    expect(through.status).toBe(200);
    expect(through.json).toMatchObject({ data: { key: { role: "admin" } } });
  });

  it("in redirect mode sends the caller to a login page that answers 200 HTML", async () => {
    simulator().setGateway({ headers: required, mode: "redirect" });
    const manual = await api(VM_PATHS.assessments, { redirect: "manual" });
    expect(manual.status).toBe(302);
    expect(manual.headers.get("location")).toBe("/cdn-cgi/access/login");
    const followed = await api(VM_PATHS.assessments);
    expect(followed.status).toBe(200);
    expect(followed.json).toBeNull();
    expect(followed.text).toContain("Sign in");
  });

  it("is removed by DELETE and refuses a config without headers", async () => {
    simulator().setGateway({ headers: required });
    expect((await control("/gateway", "DELETE")).status).toBe(200);
    expect((await api(VM_PATHS.workspace)).status).toBe(200);
    expect((await control("/gateway", "PUT", { headers: {} })).status).toBe(400);
  });
});

describe("assessments", () => {
  it("lists the seeded assessments with stages and counts, in pages", async () => {
    const all = await api(VM_PATHS.assessments);
    expect(all.json).toMatchObject({ total: 3, nextOffset: null });
    const rows = all.json?.data as VmAssessment[];
    expect(rows.map((a) => [a.name, a.stage])).toEqual([
      ["API threats", "New"],
      ["Payments platform", "Testing Ongoing"],
      ["Mobile backend", "Remediation"],
    ]);
    expect(rows[0]?.counts).toEqual({ open: 0, resolved: 0, retest: 0 });
    const page = await api(`${VM_PATHS.assessments}?limit=2&offset=0`);
    expect(page.json).toMatchObject({ total: 3, nextOffset: 2 });
    expect((await api(`${VM_PATHS.assessments}?limit=501`)).status).toBe(400);
  });

  it("creates an assessment once per idempotency key", async () => {
    const body = { name: "Threats from Postura" };
    const first = await api(VM_PATHS.assessments, { method: "POST", body, headers: { "idempotency-key": "abc" } });
    const replay = await api(VM_PATHS.assessments, { method: "POST", body, headers: { "idempotency-key": "abc" } });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ data: { name: "Threats from Postura", stage: "New", description: "" } });
    expect(replay.json).toEqual(first.json);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(simulator().state.counts().assessments).toBe(4);
    const other = await api(VM_PATHS.assessments, { method: "POST", body, headers: { "idempotency-key": "def" } });
    expect(other.json).not.toEqual(first.json);
    expect(simulator().state.counts().assessments).toBe(5);
  });

  it("refuses an assessment without a name, and answers 404 for an unknown one", async () => {
    const bad = await api(VM_PATHS.assessments, { method: "POST", body: { name: "  " } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: "VALIDATION_FAILED", field: "name" } });
    expect((await api(VM_PATHS.assessment(firstAssessment().id))).status).toBe(200);
    const missing = await api(VM_PATHS.assessment("asm_9999"));
    expect([missing.status, errorCode(missing.json)]).toEqual([404, "ASSESSMENT_NOT_FOUND"]);
  });
});

describe("vulnerabilities", () => {
  it("upserts in bulk by external id with one result per item", async () => {
    const assessmentId = firstAssessment().id;
    const first = await bulk(assessmentId, [vulnerability(1), vulnerability(2)]);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      results: [
        { index: 0, externalId: "postura:issue:1", result: "created", id: expect.stringMatching(/^vuln_/) },
        { index: 1, externalId: "postura:issue:2", result: "created", id: expect.stringMatching(/^vuln_/) },
      ],
      summary: { created: 2, updated: 0, unchanged: 0, error: 0 },
    });
    const second = await bulk(assessmentId, [
      vulnerability(1),
      vulnerability(2, { severity: "Low" }),
      vulnerability(3, { severity: "Severe" as never }),
      { title: "no id" },
      vulnerability(4),
      vulnerability(4, { title: "again" }),
    ]);
    const results = (second.json as { results: { result: string; reason?: string }[] }).results;
    expect(results.map((r) => r.result)).toEqual(["unchanged", "updated", "error", "error", "created", "error"]);
    expect(results[2]?.reason).toMatch(/^severity: /);
    expect(results[3]?.reason).toMatch(/^externalId: /);
    expect(results[5]?.reason).toBe("externalId: already sent in this batch as item 4");
    expect(simulator().state.getVulnerability("postura:issue:2")?.severity).toBe("Low");
    expect(simulator().state.counts().vulnerabilities).toBe(3);
  });

  it("never duplicates when the same batch is sent again, and keeps every field", async () => {
    const assessmentId = firstAssessment().id;
    const batch = Array.from({ length: 500 }, (_, i) => vulnerability(i));
    await bulk(assessmentId, batch);
    const again = await bulk(assessmentId, batch);
    expect(again.json?.summary).toEqual({ created: 0, updated: 0, unchanged: 500, error: 0 });
    expect(simulator().state.counts().vulnerabilities).toBe(500);
    expect(simulator().state.getVulnerability("postura:issue:7")).toEqual({
      ...vulnerability(7),
      id: expect.any(String),
      assessmentId,
      state: "Open",
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it("refuses more than 500 items, an empty batch and an unknown assessment as a whole", async () => {
    const tooMany = await bulk(firstAssessment().id, Array.from({ length: 501 }, (_, i) => vulnerability(i)));
    expect([tooMany.status, errorCode(tooMany.json)]).toEqual([413, "BATCH_TOO_LARGE"]);
    expect((await bulk(firstAssessment().id, [])).status).toBe(400);
    const unknown = await bulk("asm_9999", [vulnerability(1)]);
    expect([unknown.status, errorCode(unknown.json)]).toEqual([404, "ASSESSMENT_NOT_FOUND"]);
    expect(simulator().state.counts().vulnerabilities).toBe(0);
  });

  it("moves a record to another assessment when re-bound, keeping its id", async () => {
    const [a, b] = simulator().state.listAssessments({ offset: 0, limit: 2 }).data as [VmAssessment, VmAssessment];
    await bulk(a.id, [vulnerability(1)]);
    const id = simulator().state.getVulnerability("postura:issue:1")?.id;
    const moved = await bulk(b.id, [vulnerability(1)]);
    expect(moved.json?.results).toEqual([{ index: 0, externalId: "postura:issue:1", result: "updated", id }]);
    expect(simulator().state.getAssessment(a.id)?.counts.open).toBe(0);
    expect(simulator().state.getAssessment(b.id)?.counts.open).toBe(1);
  });

  it("upserts one record by external id: 201 created, then 200 unchanged or updated", async () => {
    const assessmentId = firstAssessment().id;
    const { externalId: _id, ...fields } = vulnerability(9);
    const path = VM_PATHS.byExternalId("postura:issue:9");
    const created = await api(path, { method: "PUT", body: { assessmentId, vulnerability: fields } });
    const same = await api(path, { method: "PUT", body: { assessmentId, vulnerability: fields } });
    const changed = await api(path, { method: "PUT", body: { assessmentId, vulnerability: { ...fields, owner: null } } });
    expect([created.status, same.status, changed.status]).toEqual([201, 200, 200]);
    expect([created.json?.result, same.json?.result, changed.json?.result]).toEqual(["created", "unchanged", "updated"]);
    expect((changed.json?.data as VmVulnerability).owner).toBeNull();
    const mismatch = await api(path, { method: "PUT", body: { assessmentId, vulnerability: vulnerability(10) } });
    expect(mismatch.status).toBe(400);
    expect((await api(path)).json).toMatchObject({ data: { externalId: "postura:issue:9" } });
  });

  it("walks the threat lifecycle and counts Open, Retest and Resolved", async () => {
    const assessmentId = firstAssessment().id;
    await bulk(assessmentId, [vulnerability(1), vulnerability(2), vulnerability(3)]);
    const path = VM_PATHS.status("postura:issue:1");
    const fixed = await api(path, { method: "PATCH", body: { status: "Fixed" } });
    expect(fixed.json).toMatchObject({ changed: true, data: { status: "Fixed", state: "Retest" } });
    const again = await api(path, { method: "PATCH", body: { status: "Fixed" } });
    expect(again.json).toMatchObject({ changed: false });
    await api(VM_PATHS.status("postura:issue:2"), { method: "PATCH", body: { status: "Verified" } });
    expect(simulator().state.getAssessment(assessmentId)?.counts).toEqual({ open: 1, resolved: 1, retest: 1 });
    expect((await api(path, { method: "PATCH", body: { status: "Closed" } })).status).toBe(400);
    const unknown = await api(VM_PATHS.status("nope"), { method: "PATCH", body: { status: "Fixed" } });
    expect([unknown.status, errorCode(unknown.json)]).toEqual([404, "NOT_FOUND"]);
  });

  it("compares an upsert with the record as it is now, status changes included", async () => {
    const [a, b] = simulator().state.listAssessments({ offset: 0, limit: 2 }).data as [VmAssessment, VmAssessment];
    await bulk(a.id, [vulnerability(1)]);
    await api(VM_PATHS.status("postura:issue:1"), { method: "PATCH", body: { status: "Fixed" } });
    const asFixed = await bulk(a.id, [vulnerability(1, { status: "Fixed" })]);
    const reopened = await bulk(a.id, [vulnerability(1, { metadata: { link: "https://postura.example/issues/1", cwe: "CWE-89", source: "Postura" } })]);
    expect([asFixed.json?.summary, reopened.json?.summary]).toMatchObject([{ unchanged: 1 }, { updated: 1 }]);
    expect(simulator().state.getVulnerability("postura:issue:1")).toMatchObject({ status: "Acknowledged", state: "Open" });
    // Metadata in another key order is the same metadata.
    const reordered = await bulk(a.id, [vulnerability(1, { metadata: { cwe: "CWE-89", link: "https://postura.example/issues/1", source: "Postura" } })]);
    expect(reordered.json?.summary).toMatchObject({ unchanged: 1 });
    await bulk(b.id, [vulnerability(1)]);
    const inA = await api(`${VM_PATHS.vulnerabilities}?assessmentId=${a.id}`);
    const inB = await api(`${VM_PATHS.vulnerabilities}?assessmentId=${b.id}&externalId=postura:issue:1`);
    expect([inA.json?.total, inB.json?.total]).toEqual([0, 1]);
  });

  it("lists by assessment or by external id, in pages", async () => {
    const [a, b] = simulator().state.listAssessments({ offset: 0, limit: 2 }).data as [VmAssessment, VmAssessment];
    await bulk(a.id, [vulnerability(1), vulnerability(2), vulnerability(3)]);
    await bulk(b.id, [vulnerability(4)]);
    const pageOne = await api(`${VM_PATHS.vulnerabilities}?assessmentId=${a.id}&limit=2`);
    expect(pageOne.json).toMatchObject({ total: 3, nextOffset: 2 });
    const pageTwo = await api(`${VM_PATHS.vulnerabilities}?assessmentId=${a.id}&limit=2&offset=2`);
    expect((pageTwo.json?.data as VmVulnerability[]).map((v) => v.externalId)).toEqual(["postura:issue:3"]);
    const one = await api(`${VM_PATHS.vulnerabilities}?externalId=postura:issue:4`);
    expect((one.json?.data as VmVulnerability[]).map((v) => v.assessmentId)).toEqual([b.id]);
  });
});

describe("hostile input", () => {
  it("answers any bulk body with a result per item or a 4xx, never a 500", async () => {
    const assessmentId = firstAssessment().id;
    const item = fc.oneof(
      fc.jsonValue(),
      fc.record({ externalId: fc.string(), title: fc.string(), severity: fc.string(), metadata: fc.jsonValue() }, { requiredKeys: [] }),
      fc.constant(vulnerability(1)),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(item, { maxLength: 8 }), fc.jsonValue()), async (vulnerabilities) => {
        const answer = await api(VM_PATHS.bulkUpsert, { method: "POST", body: { assessmentId, vulnerabilities } });
        expect([200, 400]).toContain(answer.status);
        if (answer.status === 200) {
          const results = (answer.json as { results: { index: number; result: string }[] }).results;
          expect(results.map((r) => r.index)).toEqual((vulnerabilities as unknown[]).map((_, i) => i));
        }
      }),
      { numRuns: 150 },
    );
    expect(simulator().requestLog().every((r) => r.statusCode !== 500)).toBe(true);
  });

  it("refuses a body that is not JSON, a bad path encoding and an oversized page", async () => {
    const notJson = await callJson(`${simulator().url}${VM_PATHS.bulkUpsert}`, {
      method: "POST",
      headers: { "x-api-key": simulator().keys.admin.key, "content-type": "application/json" },
      body: "{not json",
    });
    expect([notJson.status, errorCode(notJson.json)]).toEqual([400, "VALIDATION_FAILED"]);
    expect((await api("/api/v1/vulnerabilities/external/%E0%A4%A")).status).toBe(400);
    expect((await api(`${VM_PATHS.vulnerabilities}?offset=-1`)).status).toBe(400);
  });
});

describe("faults", () => {
  it("answers 429 with Retry-After, then serves normally", async () => {
    simulator().injectFault({ kind: "429", count: 1, retryAfter: { seconds: 7 } });
    const limited = await api(VM_PATHS.workspace);
    expect([limited.status, limited.headers.get("retry-after"), errorCode(limited.json)]).toEqual([429, "7", "RATE_LIMITED"]);
    expect((await api(VM_PATHS.workspace)).status).toBe(200);
  });

  it("answers 5xx, resets the connection, and hangs, only on the paths asked for", async () => {
    await control("/faults", "POST", { kind: "503", pathPrefix: VM_PATHS.bulkUpsert, count: 1 });
    expect((await bulk(firstAssessment().id, [vulnerability(1)])).status).toBe(503);
    expect((await api(VM_PATHS.workspace)).status).toBe(200);
    simulator().injectFault({ kind: "reset", count: 1 });
    await expect(api(VM_PATHS.workspace)).rejects.toThrow();
    simulator().injectFault({ kind: "hang", count: 1 });
    await expect(
      fetch(`${simulator().url}${VM_PATHS.workspace}`, { headers: { "x-api-key": simulator().keys.admin.key }, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(simulator().requestLog().map((r) => r.statusCode)).toEqual([503, 200, "reset", "hang"]);
  });
});

describe("control API", () => {
  it("logs every request with its headers (the key replaced) and body, and shows current records", async () => {
    await bulk(firstAssessment().id, [vulnerability(1)]);
    await api(VM_PATHS.workspace, { key: "wrong", headers: { "x-trace": "t-1" } });
    const log = (await control("/request-log")).json as { method: string; path: string; keyName: string | null; headers: Record<string, string>; body?: unknown; statusCode: number }[];
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ method: "POST", path: VM_PATHS.bulkUpsert, keyName: "Postura (admin)", statusCode: 200 });
    expect(log[0]?.headers["x-api-key"]).toBe("[key]");
    expect(log[0]?.body).toEqual({ assessmentId: firstAssessment().id, vulnerabilities: [vulnerability(1)] });
    expect(log[1]).toMatchObject({ keyName: null, statusCode: 401, headers: { "x-trace": "t-1" } });
    expect(JSON.stringify(log)).not.toContain(simulator().keys.admin.key);
    const records = (await control("/vulnerabilities")).json as VmVulnerability[];
    expect(records.map((v) => v.externalId)).toEqual(["postura:issue:1"]);
    expect((await control("/state")).json).toMatchObject({ assessments: 3, vulnerabilities: 1, gateway: null, requests: 2 });
  });

  it("changes records the way a VM user would, and resets to the seed", async () => {
    await bulk(firstAssessment().id, [vulnerability(1)]);
    expect((await control("/vulnerabilities/postura:issue:1", "PATCH", { status: "Verified" })).json).toMatchObject({ state: "Resolved" });
    expect((await control(`/assessments/${firstAssessment().id}`, "PATCH", { stage: "Remediation" })).json).toMatchObject({ stage: "Remediation" });
    expect((await control(`/assessments/${firstAssessment().id}`, "DELETE")).status).toBe(200);
    expect(simulator().state.counts()).toEqual({ assessments: 2, vulnerabilities: 0 });
    expect((await control("/reset", "POST")).json).toEqual({ assessments: 3, vulnerabilities: 0 });
    expect(simulator().requestLog()).toEqual([]);
  });
});
