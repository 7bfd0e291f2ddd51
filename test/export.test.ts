// CSV export of the Issues list through its route, as a browser's download would call it, on PostgreSQL and
// PGlite: the whole filtered set (more than one export batch and more than one list page), the same issues the
// list's filter counts, only the caller's company, a formula-looking title opened as text, and 401 signed out.
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { countMatchingIssues } from "@/db/queries/issues";
import { assets, issues } from "@/db/schema";
import { GET } from "@/app/api/export/issues/route";
import { GET as getApisCsv } from "@/app/api/export/apis/route";
import { GET as getFqdnsCsv } from "@/app/api/export/fqdns/route";
import { exportApis } from "@/db/queries/asset-lists";
import { createTestDatabase, type TestEngine } from "./databases";
import { callerFor, installDatabase, seedCompany, signInCookie } from "./fixtures";
import { seedInventory } from "./seed-inventory";

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  return records;
}

describe.each<TestEngine>(["postgres", "pglite"])("issue CSV export on %s", (engine) => {
  let handle: DatabaseHandle;
  let a: Awaited<ReturnType<typeof seedCompany>>;
  let b: Awaited<ReturnType<typeof seedCompany>>;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    installDatabase(handle);
    a = await seedCompany(handle, "Export A");
    b = await seedCompany(handle, "Export B");
    await seedInventory(handle.db, { companyId: a.company.id, fqdns: 16, apisPerFqdn: 16, issuesPerApi: 10, seed: 5 });
    await seedInventory(handle.db, { companyId: b.company.id, fqdns: 2, apisPerFqdn: 3, issuesPerApi: 2, seed: 6 });
  });

  afterAll(async () => {
    await handle?.close();
  });

  async function download(query: string, email = a.members.viewer.email) {
    const cookie = await signInCookie(email);
    return GET(new Request(`http://localhost:3000/api/export/issues${query}`, { headers: { cookie } }));
  }

  it("exports every issue the filter matches, once each, from the caller's company only", async () => {
    const response = await download("?severity=critical,high,medium&status=identified,in_progress&page=2");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="postura-issues-\d{4}-\d{2}-\d{2}\.csv"/);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(["id", "title", "severity", "status", "category", "cwe", "source", "asset", "domain", "owner", "detected_at", "last_activity_at"]);

    const expected = await countMatchingIssues(handle.db, {
      companyId: a.company.id,
      severities: ["critical", "high", "medium"],
      statuses: ["identified", "in_progress"],
    });
    expect(expected).toBeGreaterThan(1000); // more than one batch, and far more than one page
    const ids = rows.map((r) => r[0]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(expected);
    expect(rows.every((r) => ["critical", "high", "medium"].includes(r[2]!) && ["identified", "in_progress"].includes(r[3]!))).toBe(true);
    const foreign = await handle.db.select({ id: issues.id }).from(issues).where(and(eq(issues.companyId, b.company.id), inArray(issues.id, ids.slice(0, 500))));
    expect(foreign).toEqual([]);
  });

  it("opens a title that looks like a formula as text, and keeps commas, quotes and line breaks in their cell", async () => {
    const [issue] = await handle.db.select({ id: issues.id }).from(issues).where(eq(issues.companyId, a.company.id)).limit(1);
    const hostile = '=HYPERLINK("http://evil.example","click"), then\na "quoted" line';
    await handle.db.update(issues).set({ title: hostile }).where(eq(issues.id, issue!.id));
    const rows = parseCsv(await (await download("")).text());
    const row = rows.find((r) => r[0] === issue!.id)!;
    expect(row[1]).toBe(`'${hostile}`);
    expect(row).toHaveLength(12);
  });

  it("refuses a request without a session, and a filter that does not parse", async () => {
    const signedOut = await GET(new Request("http://localhost:3000/api/export/issues"));
    expect(signedOut.status).toBe(401);
    const bad = await download(`?q=${encodeURIComponent("a\u0000b")}`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/export from there/);
  });

  /** Every row of a list, page by page (what a person paging through it sees). */
  async function everyPage<T extends { id: string }>(read: (page: number) => Promise<{ rows: T[]; total: number }>) {
    const rows: T[] = [];
    for (let page = 1; ; page++) {
      const result = await read(page);
      rows.push(...result.rows);
      if (result.rows.length === 0 || rows.length >= result.total) return rows;
    }
  }

  async function downloadFrom(get: (request: Request) => Promise<Response>, path: string, query: string) {
    const cookie = await signInCookie(a.members.viewer.email);
    const response = await get(new Request(`http://localhost:3000${path}${query}`, { headers: { cookie } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(`postura-${path.split("/").pop()}-`);
    return parseCsv(await response.text());
  }

  it("exports the filtered APIs list: the same endpoints, with the same values, as the list pages through", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const filter = { methods: ["GET", "POST"] as ("GET" | "POST")[], riskMin: 1 };
    const listed = await everyPage((page) => viewer.assets.listApis({ ...filter, page }));
    const [header, ...rows] = await downloadFrom(getApisCsv, "/api/export/apis", "?method=GET,POST&riskMin=1&page=3&sort=name");
    expect(header).toEqual(["id", "method", "path", "fqdn", "risk_score", "open_issues", "labels", "last_synced_at"]);
    expect(listed.length).toBeGreaterThan(25); // more than one page
    expect(rows.map((r) => r[0]).sort()).toEqual(listed.map((r) => r.id).sort());
    const byId = new Map(listed.map((r) => [r.id, r]));
    for (const [id, method, path, fqdn, risk] of rows) {
      const api = byId.get(id!)!;
      expect([method, path, fqdn, Number(risk)]).toEqual([api.method, api.path, api.fqdn?.name, api.riskScore]);
    }
    // Read in small batches the keyset still visits each endpoint once.
    const batched: string[] = [];
    for await (const batch of exportApis(handle.db, { companyId: a.company.id, ...filter }, 7)) batched.push(...batch.map((r) => r.id));
    expect(batched.sort()).toEqual(listed.map((r) => r.id).sort());
  });

  it("exports the filtered FQDN list: the same domains the list shows, only the caller's, a formula-looking name as text", async () => {
    const [domain] = await handle.db.select({ id: assets.id }).from(assets).where(and(eq(assets.companyId, a.company.id), eq(assets.assetType, "domain"))).limit(1);
    await handle.db.update(assets).set({ name: "=1+1.example.test", businessImpact: "high" }).where(eq(assets.id, domain!.id));
    const viewer = await callerFor(a.members.viewer.email);
    const listed = await everyPage((page) => viewer.assets.listFqdns({ impact: ["high"], page }));
    const [header, ...rows] = await downloadFrom(getFqdnsCsv, "/api/export/fqdns", "?impact=high");
    expect(header![0]).toBe("id");
    expect(rows.map((r) => r[0]).sort()).toEqual(listed.map((r) => r.id).sort());
    expect(rows.find((r) => r[0] === domain!.id)?.[1]).toBe("'=1+1.example.test");
    const everything = await downloadFrom(getFqdnsCsv, "/api/export/fqdns", "");
    expect(everything.length - 1).toBe(16);
  });
});
