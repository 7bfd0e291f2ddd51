// The Issues lists' filter, through the routers on PostgreSQL and PGlite: each filter alone and combined, the URL's
// open-by-default switch (and old links that name statuses), owners ("me", "none", a member), the Snapsec VM
// forwarding state, bulk "all matching" and the CSV export selecting the same issues as the list, and saved views
// that belong to one member of one company.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueFilterQuery, loadIssueSearchParams, serializeIssueSearchParams } from "@/app/(app)/issues/search-params";
import type { DatabaseHandle } from "@/db/client";
import { exportIssues } from "@/db/queries/issues";
import { closedIssueStatuses, forwardLinks, forwardOutbox, integrations, issues, openIssueStatuses } from "@/db/schema";
import { type IssueFilterInput, resolveIssueFilter } from "@/server/issues/filter";
import { createTestDatabase, type TestEngine } from "./databases";
import { callerFor, installDatabase, seedCompany } from "./fixtures";
import { seedInventory } from "./seed-inventory";

type Row = typeof issues.$inferSelect;
type Caller = Awaited<ReturnType<typeof callerFor>>;
type ListInput = Parameters<Caller["issues"]["list"]>[0];

describe.each<TestEngine>(["postgres", "pglite"])("issue filters on %s", (engine) => {
  let handle: DatabaseHandle;
  let a: Awaited<ReturnType<typeof seedCompany>>;
  let b: Awaited<ReturnType<typeof seedCompany>>;
  let all: Row[];
  let forwardState: Map<string, "forwarded" | "failed" | "filtered" | "pending" | "waiting">;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    installDatabase(handle);
    a = await seedCompany(handle, "Filters A");
    b = await seedCompany(handle, "Filters B");
    await seedInventory(handle.db, { companyId: a.company.id, fqdns: 4, apisPerFqdn: 6, issuesPerApi: 4, seed: 21 });
    await seedInventory(handle.db, { companyId: b.company.id, fqdns: 2, apisPerFqdn: 3, issuesPerApi: 3, seed: 22 });
    const seeded = await handle.db.select().from(issues).where(eq(issues.companyId, a.company.id)).orderBy(issues.id);
    // Owners: every third issue the analyst's, every fifth the admin's, the rest nobody's.
    for (const [i, issue] of seeded.entries()) {
      const owner = i % 3 === 0 ? a.members.analyst.userId : i % 5 === 0 ? a.members.admin.userId : null;
      if (owner) await handle.db.update(issues).set({ ownerUserId: owner }).where(eq(issues.id, issue.id));
    }
    // Sources: a few from Tenable.io, a few added by hand.
    for (const issue of seeded.slice(30, 34)) await handle.db.update(issues).set({ source: "tenable_io" }).where(eq(issues.id, issue.id));
    for (const issue of seeded.slice(34, 36)) await handle.db.update(issues).set({ source: null }).where(eq(issues.id, issue.id));
    // Forwarding: links in each state and one issue waiting in the outbox (the integration a draft, so that the
    // bulk change below queues no forwarding job: this file runs no job queue).
    const [vm] = await handle.db.insert(integrations).values({ companyId: a.company.id, kind: "snapsec_vm", state: "draft" }).returning();
    forwardState = new Map();
    const states = ["forwarded", "failed", "filtered", "pending"] as const;
    for (const [i, issue] of seeded.slice(0, 12).entries()) {
      const state = states[i % 4]!;
      await handle.db.insert(forwardLinks).values({ companyId: a.company.id, integrationId: vm!.id, issueId: issue.id, externalId: `ext-${i}`, state });
      forwardState.set(issue.id, state);
    }
    await handle.db.insert(forwardOutbox).values({ companyId: a.company.id, integrationId: vm!.id, issueId: seeded[20]!.id });
    forwardState.set(seeded[20]!.id, "waiting");
    all = await handle.db.select().from(issues).where(eq(issues.companyId, a.company.id));
  });

  afterAll(async () => {
    await handle?.close();
  });

  /** Every id the list shows for `input`, page by page. */
  async function listed(caller: Caller, input: ListInput) {
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const result = await caller.issues.list({ ...input, page });
      ids.push(...result.rows.map((r) => r.id));
      if (ids.length >= result.total) return ids.sort();
    }
  }

  async function expectFilter(input: ListInput, predicate: (row: Row) => boolean, email = a.members.analyst.email) {
    const caller = await callerFor(email);
    const expected = all.filter(predicate).map((r) => r.id).sort();
    expect(expected.length, "the seed gives this filter something to find").toBeGreaterThan(0);
    expect(expected.length, "and something to leave out").toBeLessThan(all.length);
    expect(await listed(caller, input)).toEqual(expected);
    const { sort: _s, dir: _d, page: _p, ...filter } = input ?? {};
    expect(await caller.issues.matchingCount(filter)).toBe(expected.length);
    return expected;
  }

  const isOpen = (r: Row) => (openIssueStatuses as readonly string[]).includes(r.status);

  it("narrows by each filter alone", async () => {
    await expectFilter({ state: "open" }, isOpen);
    await expectFilter({ state: "closed" }, (r) => (closedIssueStatuses as readonly string[]).includes(r.status));
    await expectFilter({ severities: ["critical", "high"] }, (r) => r.severity === "critical" || r.severity === "high");
    await expectFilter({ statuses: ["identified", "fixed"] }, (r) => r.status === "identified" || r.status === "fixed");
    const [first, second] = [...new Set(all.map((r) => r.category).filter((c): c is string => Boolean(c)))].sort();
    await expectFilter({ categories: [first!, second!] }, (r) => r.category === first || r.category === second);
    await expectFilter({ owners: ["me"] }, (r) => r.ownerUserId === a.members.analyst.userId);
    await expectFilter({ owners: ["none"] }, (r) => r.ownerUserId === null);
    await expectFilter({ owners: ["none", a.members.admin.userId] }, (r) => r.ownerUserId === null || r.ownerUserId === a.members.admin.userId);
    await expectFilter({ forwarding: ["forwarded"] }, (r) => forwardState.get(r.id) === "forwarded");
    await expectFilter({ forwarding: ["failed", "filtered"] }, (r) => ["failed", "filtered"].includes(forwardState.get(r.id) ?? ""));
    await expectFilter({ forwarding: ["pending"] }, (r) => ["pending", "waiting"].includes(forwardState.get(r.id) ?? ""));
    await expectFilter({ forwarding: ["not_forwarded"] }, (r) => !forwardState.has(r.id));
    await expectFilter({ sources: ["salt_security"] }, (r) => r.source === "salt_security");
    await expectFilter({ sources: ["tenable_io", "manual"] }, (r) => r.source === "tenable_io" || r.source === null);
  });

  it("combines filters: alternatives within one, every one applies", async () => {
    await expectFilter(
      { state: "open", severities: ["critical", "high", "medium"], owners: ["me", "none"] },
      (r) => isOpen(r) && ["critical", "high", "medium"].includes(r.severity) && (r.ownerUserId === a.members.analyst.userId || r.ownerUserId === null),
    );
    // The switch and the statuses both apply: Closed with Identified finds nothing.
    const caller = await callerFor(a.members.analyst.email);
    expect((await caller.issues.list({ state: "closed", statuses: ["identified"] })).total).toBe(0);
  });

  it("reads the URL as open by default, and old links that name statuses as they meant", () => {
    const query = (search: string) => issueFilterQuery(loadIssueSearchParams(new URLSearchParams(search)));
    expect(query("").state).toBe("open");
    expect(query("status=identified,in_progress")).toMatchObject({ state: "open", statuses: ["identified", "in_progress"] });
    expect(query("status=fixed")).toMatchObject({ state: "closed", statuses: ["fixed"] });
    expect(query("status=identified,fixed").state).toBe("all");
    expect(query("state=all").state).toBe("all");
    // A category holding the list separator survives the URL.
    expect(query(serializeIssueSearchParams({ category: ["A,B", "C"], owner: ["me", "none"] }))).toMatchObject({ categories: ["A,B", "C"], owners: ["me", "none"] });
  });

  it("exports and bulk-selects exactly what the list shows", async () => {
    const input: IssueFilterInput = { state: "open", severities: ["critical", "high"], owners: ["none"] };
    const caller = await callerFor(a.members.analyst.email);
    const shown = await listed(caller, input);
    const exported: string[] = [];
    for await (const batch of exportIssues(handle.db, resolveIssueFilter(input, { companyId: a.company.id, userId: a.members.analyst.userId }), 7)) {
      exported.push(...batch.map((r) => r.id));
    }
    expect(exported.sort()).toEqual(shown);
    const result = await caller.issues.bulkUpdate({ selection: { filter: input }, change: { kind: "owner", ownerUserId: a.members.admin.userId } });
    expect(result.changed).toBe(shown.length);
    const owned = await handle.db.select({ id: issues.id, owner: issues.ownerUserId }).from(issues).where(eq(issues.companyId, a.company.id));
    expect(owned.filter((r) => shown.includes(r.id)).every((r) => r.owner === a.members.admin.userId)).toBe(true);
    all = await handle.db.select().from(issues).where(eq(issues.companyId, a.company.id));
  });

  it("never shows another company's issues, whatever the filter", async () => {
    const other = await callerFor(b.members.analyst.email);
    const ids = await listed(other, { state: "all", owners: [a.members.analyst.userId] });
    expect(ids).toEqual([]);
    expect(await other.issues.matchingCount({ forwarding: ["forwarded"] })).toBe(0);
  });

  it("keeps saved views per member and company: save, list, rename, delete; nobody else sees or changes them", async () => {
    const analyst = await callerFor(a.members.analyst.email);
    const viewer = await callerFor(a.members.viewer.email);
    const outsider = await callerFor(b.members.analyst.email);
    const view = await analyst.savedViews.create({ name: "  Critical, mine  ", query: "?severity=critical&owner=me&page=3&sort=activity&evil=1" });
    // Stored canonical: the switch spelled out, no page, sort or unknown parameters; the name trimmed.
    expect(view).toMatchObject({ name: "Critical, mine", query: "state=open&severity=critical&owner=me" });
    expect((await analyst.savedViews.list()).map((v) => v.name)).toEqual(["Critical, mine"]);
    expect(await viewer.savedViews.list()).toEqual([]);
    expect(await outsider.savedViews.list()).toEqual([]);
    await expect(analyst.savedViews.create({ name: "Critical, mine", query: "" })).rejects.toThrow(/already have a view named/);
    await expect(analyst.savedViews.create({ name: "NUL", query: `q=${encodeURIComponent("a\u0000b")}` })).rejects.toThrow(/cannot be saved/);
    await expect(analyst.savedViews.create({ name: "", query: "" })).rejects.toThrow(/Give the view a name/);
    await expect(outsider.savedViews.update({ id: view.id, name: "Mine now" })).rejects.toThrow(/no longer exists/);
    await expect(viewer.savedViews.remove({ id: view.id })).rejects.toThrow(/no longer exists/);
    expect(await analyst.savedViews.update({ id: view.id, name: "Critical" })).toMatchObject({ name: "Critical" });
    await analyst.savedViews.remove({ id: view.id });
    expect(await analyst.savedViews.list()).toEqual([]);
  });
});
