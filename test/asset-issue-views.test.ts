// The asset and issue lists, their filters, sorts and pages, the overview, and a user's status change, through
// the routers on real PostgreSQL, with a second company whose rows must never show.
import { applicationsFromLabels } from "@/lib/application-labels";
import { TRPCError } from "@trpc/server";
import { and, desc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, issues, openIssueStatuses, severities, statusHistory } from "@/db/schema";
import { PAGE_SIZE } from "@/lib/list-options";
import { computeRisk } from "@/server/risk";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase, seedCompany } from "./fixtures";
import { type SeededInventory, seedInventory } from "./seed-inventory";

let handle: DatabaseHandle;
let a: Awaited<ReturnType<typeof seedCompany>>;
let b: Awaited<ReturnType<typeof seedCompany>>;
let aInventory: SeededInventory;
let bInventory: SeededInventory;

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
}

const isNonIncreasing = (values: number[]) => values.every((v, i) => i === 0 || values[i - 1]! >= v);
const severityRank = (s: string) => severities.indexOf(s as (typeof severities)[number]);

beforeAll(async () => {
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  a = await seedCompany(handle, "Views A");
  b = await seedCompany(handle, "Views B");
  aInventory = await seedInventory(handle.db, { companyId: a.company.id, fqdns: 30, apisPerFqdn: 6, issuesPerApi: 2, seed: 11 });
  bInventory = await seedInventory(handle.db, { companyId: b.company.id, fqdns: 5, apisPerFqdn: 4, issuesPerApi: 2, seed: 12 });
});

afterAll(async () => {
  await handle.close();
});

describe("assets.listFqdns", () => {
  it("lists the company's domains riskiest first, 25 a page, with no overlap between pages", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const first = await viewer.assets.listFqdns({});
    const second = await viewer.assets.listFqdns({ page: 2 });
    expect(first.total).toBe(30);
    expect(first.totalCapped).toBe(false);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(second.rows).toHaveLength(30 - PAGE_SIZE);
    const ids = [...first.rows, ...second.rows].map((r) => r.id);
    expect(new Set(ids).size).toBe(30);
    expect(new Set(ids)).toEqual(new Set(aInventory.domainIds));
    expect(isNonIncreasing([...first.rows, ...second.rows].map((r) => r.riskScore))).toBe(true);
  });

  it("sorts by name both ways and by open issues", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const asc = (await viewer.assets.listFqdns({ sort: "name", dir: "asc" })).rows.map((r) => r.name);
    expect(asc).toEqual([...asc].sort());
    const desc = (await viewer.assets.listFqdns({ sort: "name", dir: "desc" })).rows.map((r) => r.name);
    expect(desc[0]! >= desc[desc.length - 1]!).toBe(true);
    const open = (await viewer.assets.listFqdns({ sort: "open", dir: "desc" })).rows.map((r) => r.openIssueCount);
    expect(isNonIncreasing(open)).toBe(true);
  });

  it("searches by name and filters by business impact, application and tag", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const pay = await viewer.assets.listFqdns({ q: "pay" });
    expect(pay.total).toBeGreaterThan(0);
    expect(pay.rows.every((r) => r.name.includes("pay"))).toBe(true);

    const high = await viewer.assets.listFqdns({ impact: ["high"] });
    expect(high.rows.every((r) => r.businessImpact === "high")).toBe(true);

    const facets = await viewer.assets.fqdnFacets();
    const tag = facets.tags[0]!;
    const tagged = await viewer.assets.listFqdns({ tag });
    expect(tagged.total).toBeGreaterThan(0);
    expect(tagged.rows.every((r) => r.tags.includes(tag))).toBe(true);

    const app = facets.applications[0]!;
    const inApp = await viewer.assets.listFqdns({ applicationId: app.id });
    expect(inApp.total).toBeGreaterThan(0);
    expect(inApp.rows.every((r) => r.applications.includes(app.name))).toBe(true);
  });

  it("shows company B only its own domains", async () => {
    const bViewer = await callerFor(b.members.viewer.email);
    const list = await bViewer.assets.listFqdns({});
    expect(list.total).toBe(5);
    expect(list.rows.every((r) => bInventory.domainIds.includes(r.id))).toBe(true);
    const facets = await bViewer.assets.fqdnFacets();
    expect(facets.applications.length).toBeGreaterThan(0);
  });
});

describe("assets.listApis", () => {
  it("scopes to one or more FQDNs and links each API to its parent", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const [one, two] = aInventory.domainIds;
    const single = await viewer.assets.listApis({ fqdnIds: [one!] });
    expect(single.total).toBeGreaterThan(0);
    expect(single.rows.every((r) => r.fqdn?.id === one)).toBe(true);
    const both = await viewer.assets.listApis({ fqdnIds: [one!, two!] });
    const second = await viewer.assets.listApis({ fqdnIds: [two!] });
    expect(both.total).toBe(single.total + second.total);
  });

  it("pages through every API once, riskiest first", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const first = await viewer.assets.listApis({});
    expect(first.total).toBe(aInventory.apiCount);
    const pages = Math.ceil(first.total / PAGE_SIZE);
    const all = [...first.rows];
    for (let page = 2; page <= pages; page++) all.push(...(await viewer.assets.listApis({ page })).rows);
    expect(new Set(all.map((r) => r.id)).size).toBe(aInventory.apiCount);
    expect(isNonIncreasing(all.map((r) => r.riskScore))).toBe(true);
  });

  it("filters by method, risk range and path words", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const gets = await viewer.assets.listApis({ methods: ["GET"] });
    expect(gets.total).toBeGreaterThan(0);
    expect(gets.rows.every((r) => r.method === "GET")).toBe(true);
    const band = await viewer.assets.listApis({ riskMin: 5, riskMax: 20, sort: "risk", dir: "asc" });
    expect(band.rows.every((r) => r.riskScore >= 5 && r.riskScore <= 20)).toBe(true);
    const users = await viewer.assets.listApis({ q: "user" });
    expect(users.total).toBeGreaterThan(0);
    expect(users.rows.every((r) => /\/user/i.test(r.name))).toBe(true);
    const orders = await viewer.assets.listApis({ q: "v2 ord", sort: "name", dir: "asc" });
    expect(orders.rows.every((r) => r.name.includes("/v2/") && /\/ord/.test(r.name))).toBe(true);
    expect(orders.rows.map((r) => r.name)).toEqual(orders.rows.map((r) => r.name).sort());
  });

  it("never returns another company's APIs, even when asked for its FQDN", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const foreign = await viewer.assets.listApis({ fqdnIds: [bInventory.domainIds[0]!] });
    expect(foreign.total).toBe(0);
    const options = await viewer.assets.fqdnOptions({ ids: [bInventory.domainIds[0]!] });
    expect(options.selected).toEqual([]);
  });
});

describe("issues.list", () => {
  it("filters by severity, status, category and source", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const critical = await viewer.issues.list({ severities: ["critical"], statuses: ["identified", "in_progress"] });
    expect(critical.total).toBeGreaterThan(0);
    expect(critical.rows.every((r) => r.severity === "critical" && (openIssueStatuses as readonly string[]).includes(r.status))).toBe(true);
    const categories = await viewer.issues.categories();
    expect(categories).toContain("BOLA");
    expect(categories).toEqual([...categories].sort());
    const bola = await viewer.issues.list({ categories: ["BOLA"] });
    expect(bola.rows.every((r) => r.category === "BOLA")).toBe(true);
    expect((await viewer.issues.list({ sources: ["salt_security"] })).total).toBe(aInventory.issueCount);
    expect((await viewer.issues.list({ sources: ["manual"] })).total).toBe(0);
  });

  it("searches titles, categories and CWE ids by word prefix", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const inj = await viewer.issues.list({ q: "inject" });
    expect(inj.total).toBeGreaterThan(0);
    expect(inj.rows.every((r) => /inject/i.test(r.title) || r.category === "Injection")).toBe(true);
    const cwe = await viewer.issues.list({ q: "CWE-639" });
    expect(cwe.total).toBeGreaterThan(0);
    expect(cwe.rows.every((r) => r.cwe === "CWE-639")).toBe(true);
  });

  it("sorts by severity, by age and by last activity", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const bySeverity = (await viewer.issues.list({})).rows.map((r) => severityRank(r.severity));
    expect(isNonIncreasing(bySeverity)).toBe(true);
    const youngest = (await viewer.issues.list({ sort: "detected", dir: "asc" })).rows.map((r) => r.detectedAt!.getTime());
    expect(isNonIncreasing(youngest)).toBe(true);
    const activity = (await viewer.issues.list({ sort: "activity", dir: "asc" })).rows.map((r) => -r.lastActivityAt!.getTime());
    expect(isNonIncreasing(activity)).toBe(true);
  });

  it("lists one FQDN's and one API's issues with their asset", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const domainId = aInventory.domainIds[3]!;
    const byDomain = await viewer.issues.list({ fqdnIds: [domainId] });
    expect(byDomain.rows.every((r) => r.domain?.id === domainId)).toBe(true);
    const apiId = byDomain.rows[0]!.asset.id;
    const byApi = await viewer.issues.list({ assetId: apiId });
    expect(byApi.total).toBeGreaterThan(0);
    expect(byApi.rows.every((r) => r.asset.id === apiId)).toBe(true);
  });

  it("keeps companies apart", async () => {
    const aViewer = await callerFor(a.members.viewer.email);
    const bViewer = await callerFor(b.members.viewer.email);
    expect((await bViewer.issues.list({})).total).toBe(bInventory.issueCount);
    expect((await aViewer.issues.list({ fqdnIds: [bInventory.domainIds[0]!] })).total).toBe(0);
    const bIssue = (await bViewer.issues.list({})).rows[0]!;
    await expectTrpcError(aViewer.issues.byId({ id: bIssue.id }), "NOT_FOUND");
    await expectTrpcError(aViewer.assets.detail({ id: bInventory.domainIds[0]! }), "NOT_FOUND");
    await expectTrpcError(aViewer.assets.domainActivity({ id: bInventory.domainIds[0]! }), "NOT_FOUND");
  });
});

describe("assets.overview and detail", () => {
  it("sums open issues by severity across the company's domains", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const overview = await viewer.assets.overview();
    const open = await viewer.issues.list({ statuses: ["identified", "in_progress"] });
    expect(severities.reduce((sum, s) => sum + overview.openBySeverity[s], 0)).toBe(open.total);
    expect(overview.fqdnCount).toBe(30);
    expect(isNonIncreasing(overview.riskiest.map((d) => d.riskScore))).toBe(true);
  });

  it("colours each risk score by the highest open severity, the same way on domains and APIs", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const worstOf = async (column: typeof issues.assetId | typeof issues.domainAssetId, id: string) => {
      const open = await handle.db
        .select({ severity: issues.severity })
        .from(issues)
        .where(and(eq(column, id), inArray(issues.status, [...openIssueStatuses])));
      const ranks = open.map((i) => severities.indexOf(i.severity));
      return ranks.length === 0 ? null : severities[Math.max(...ranks)];
    };
    const apis = [...(await viewer.assets.listApis({ sort: "risk", dir: "asc" })).rows, ...(await viewer.assets.listApis({ sort: "risk", dir: "desc" })).rows];
    const fqdns = (await viewer.assets.listFqdns({})).rows;
    for (const api of apis) expect(api.worstOpenSeverity, api.name).toBe(await worstOf(issues.assetId, api.id));
    for (const fqdn of fqdns.slice(0, 15)) expect(fqdn.worstOpenSeverity, fqdn.name).toBe(await worstOf(issues.domainAssetId, fqdn.id));
    expect(new Set(apis.map((r) => r.worstOpenSeverity)).size, "severities seen among the least and most risky APIs").toBeGreaterThan(1);
  });

  it("gives an API its parent domain and a domain its applications and tags", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const api = (await viewer.assets.listApis({})).rows[0]!;
    const detail = await viewer.assets.detail({ id: api.id });
    expect(detail.parent?.id).toBe(api.fqdn?.id);
    expect(detail).not.toHaveProperty("searchVector");
    const domain = await viewer.assets.detail({ id: api.fqdn!.id });
    expect(domain.tags.length).toBeGreaterThan(0);
    // Every label is a tag; only the "app:" ones name applications.
    expect(domain.applications.map((x) => x.name).sort()).toEqual(applicationsFromLabels(domain.tags, "app:"));
    expect(domain.applications.length).toBeGreaterThan(0);
    expect(domain.applications.map((x) => x.name)).not.toContain(expect.stringMatching(/^(env|data|exposure):/));
  });

  it("shows a domain's 20 newest status changes across its issues, newest first, none from another domain", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const [domainId, otherDomainId] = [aInventory.domainIds[3]!, aInventory.domainIds[4]!];
    const issuesOf = (id: string) => handle.db.select({ id: issues.id }).from(issues).where(eq(issues.domainAssetId, id));
    const [busy, quiet] = await issuesOf(domainId);
    const [elsewhere] = await issuesOf(otherDomainId);
    const base = Date.now() + 60_000;
    const change = (issueId: string, at: number) => ({ companyId: a.company.id, issueId, fromStatus: "identified" as const, toStatus: "in_progress" as const, origin: "user" as const, createdAt: new Date(at) });
    // One issue with more changes than the page holds, another interleaved (two at the same instant), and a newer
    // change on another domain's issue that must not show.
    const added = await handle.db
      .insert(statusHistory)
      .values([
        ...Array.from({ length: 25 }, (_, i) => change(busy!.id, base - i * 2_000)),
        change(quiet!.id, base - 3_000),
        change(quiet!.id, base - 3_000),
        change(elsewhere!.id, base + 10_000),
      ])
      .returning({ id: statusHistory.id });
    // Later tests read "the newest change" of a domain: these future-dated rows go when this test ends.
    onTestFinished(() => handle.db.delete(statusHistory).where(inArray(statusHistory.id, added.map((r) => r.id))).then(() => undefined));

    const expected = await handle.db
      .select({ id: statusHistory.id })
      .from(statusHistory)
      .innerJoin(issues, eq(issues.id, statusHistory.issueId))
      .where(eq(issues.domainAssetId, domainId))
      .orderBy(desc(statusHistory.createdAt), desc(statusHistory.id))
      .limit(20);
    const activity = await viewer.assets.domainActivity({ id: domainId });
    expect(activity.statusChanges.map((c) => c.id)).toEqual(expected.map((r) => r.id));
    expect(new Set(activity.statusChanges.map((c) => c.issueId))).toEqual(new Set([busy!.id, quiet!.id]));
  });
});

describe("issues.setStatus", () => {
  it("records an analyst's change with its history row and re-scores the asset and its domain", async () => {
    const analyst = await callerFor(a.members.analyst.email);
    const [target] = (await analyst.issues.list({ statuses: ["identified"], severities: ["high"] })).rows;
    expect(target).toBeDefined();
    const [apiBefore] = await handle.db.select().from(assets).where(eq(assets.id, target!.asset.id));
    const [domainBefore] = await handle.db.select().from(assets).where(eq(assets.id, target!.domain!.id));

    const result = await analyst.issues.setStatus({ id: target!.id, status: "fixed", reason: "Patched in release 4.2" });
    expect(result.changed).toBe(true);
    const issue = await analyst.issues.byId({ id: target!.id });
    expect(issue.status).toBe("fixed");
    expect(issue.statusOrigin).toBe("user");
    expect(issue.statusChangedBy).toBe(a.members.analyst.userId);
    expect(issue.statusChangedByName).toBe("Analyst User");

    const history = await analyst.issues.history({ id: target!.id });
    // The actor's id, and a stable identity (name and email) rather than a name alone.
    expect(history[0]).toMatchObject({
      fromStatus: "identified",
      toStatus: "fixed",
      origin: "user",
      userId: a.members.analyst.userId,
      userName: `Analyst User (${a.members.analyst.email})`,
      userEmail: a.members.analyst.email,
      note: "Patched in release 4.2",
    });

    const [apiAfter] = await handle.db.select().from(assets).where(eq(assets.id, target!.asset.id));
    const [domainAfter] = await handle.db.select().from(assets).where(eq(assets.id, target!.domain!.id));
    expect(apiAfter!.openIssueCount).toBe(apiBefore!.openIssueCount - 1);
    expect(apiAfter!.riskInputs!.openBySeverity.high).toBe(apiBefore!.riskInputs!.openBySeverity.high - 1);
    expect(apiAfter!.riskScore).toBe(computeRisk(apiAfter!.riskInputs!.openBySeverity, domainBefore!.businessImpact).score);
    expect(domainAfter!.openIssueCount).toBe(domainBefore!.openIssueCount - 1);
    expect(domainAfter!.riskScore).toBeLessThan(domainBefore!.riskScore);

    const activity = await analyst.assets.domainActivity({ id: target!.domain!.id });
    expect(activity.statusChanges[0]).toMatchObject({ issueId: target!.id, toStatus: "fixed", origin: "user" });
  });

  it("writes nothing when the status is already the requested one", async () => {
    const analyst = await callerFor(a.members.analyst.email);
    const [target] = (await analyst.issues.list({ statuses: ["in_progress"] })).rows;
    const before = await handle.db.select().from(statusHistory).where(eq(statusHistory.issueId, target!.id));
    const result = await analyst.issues.setStatus({ id: target!.id, status: "in_progress" });
    expect(result.changed).toBe(false);
    const after = await handle.db.select().from(statusHistory).where(eq(statusHistory.issueId, target!.id));
    expect(after).toHaveLength(before.length);
  });

  it("refuses a viewer, and company B for company A's issue, leaving the issue unchanged", async () => {
    const viewer = await callerFor(a.members.viewer.email);
    const [target] = (await viewer.issues.list({ statuses: ["identified"] })).rows;
    await expectTrpcError(viewer.issues.setStatus({ id: target!.id, status: "risk_accepted", reason: "accepted", riskAcceptedUntil: new Date(Date.now() + 86_400_000) }), "FORBIDDEN");
    const bAdmin = await callerFor(b.members.admin.email);
    await expectTrpcError(bAdmin.issues.setStatus({ id: target!.id, status: "risk_accepted", reason: "accepted", riskAcceptedUntil: new Date(Date.now() + 86_400_000) }), "NOT_FOUND");
    const [row] = await handle.db
      .select({ status: issues.status })
      .from(issues)
      .where(and(eq(issues.companyId, a.company.id), eq(issues.id, target!.id)));
    expect(row!.status).toBe("identified");
  });
});

describe("business impact on the lists", () => {
  it("re-scores a domain's APIs in the APIs list when an analyst changes the domain's impact", async () => {
    const analyst = await callerFor(a.members.analyst.email);
    const domain = (await analyst.assets.listFqdns({ sort: "risk", dir: "desc" })).rows[0]!;
    const next = domain.businessImpact === "high" ? "low" : "high";
    await analyst.assets.setBusinessImpact({ id: domain.id, businessImpact: next });
    const apis = await analyst.assets.listApis({ fqdnIds: [domain.id] });
    for (const api of apis.rows) {
      const detail = await analyst.assets.detail({ id: api.id });
      expect(api.riskScore).toBe(computeRisk(detail.riskInputs!.openBySeverity, next).score);
    }
    expect((await analyst.assets.detail({ id: domain.id })).businessImpact).toBe(next);
  });
});
