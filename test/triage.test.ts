// Triage on both databases: reasons and end dates a status change needs, Undo before the write-back is sent,
// the expiry of risk acceptances (time moved by parameter), bulk changes over 10,000 issues (one history row and
// one write-back job each), owners scoped to the company, and comments rendered without injected HTML.
import { TRPCError } from "@trpc/server";
import { and, count, eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, defaultIntegrationSettings, integrations, issues, statusHistory, statusWriteBacks } from "@/db/schema";
import { Markdown } from "@/components/views/markdown";
import { expireRiskAcceptances } from "@/server/issues/bulk";
import { changeIssueStatusByUser, undoStatusChange } from "@/server/issues/status";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { runStatusWriteBack } from "@/server/writeback/job";
import { createTestDatabase, type TestEngine } from "./databases";
import { callerFor, installDatabase, seedCompany } from "./fixtures";
import { seedInventory } from "./seed-inventory";

const DAY = 86_400_000;

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

describe.each<TestEngine>(["postgres", "pglite"])("triage on %s", (engine) => {
  let handle: DatabaseHandle;
  let boss: PgBoss;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    installDatabase(handle);
    resetJobRuntime();
    boss = await getBoss();
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    resetJobRuntime();
    await handle?.close();
  });

  /** A company with a connected Salt integration (default mapping, write-back on) whose issues it imported. */
  async function tenant(inventory: { fqdns: number; apisPerFqdn: number; issuesPerApi: number; seed?: number }) {
    const seeded = await seedCompany(handle);
    const companyId = seeded.company.id;
    const [integration] = await handle.db
      .insert(integrations)
      .values({ companyId, kind: "salt_security", state: "connected", wizardStep: "done", region: "us", canWriteBack: true, settings: defaultIntegrationSettings })
      .returning();
    const inventoryRows = await seedInventory(handle.db, { companyId, withHistory: false, ...inventory });
    await handle.db.update(issues).set({ integrationId: integration!.id }).where(eq(issues.companyId, companyId));
    return { ...seeded, companyId, integration: integration!, inventory: inventoryRows };
  }

  async function anIssue(companyId: string, status: "identified" | "in_progress" = "identified") {
    const [row] = await handle.db
      .select()
      .from(issues)
      .where(and(eq(issues.companyId, companyId), eq(issues.status, status)))
      .limit(1);
    if (!row) throw new Error(`no ${status} issue seeded`);
    return row;
  }

  async function jobsFor(writeBackIds: string[]) {
    if (writeBackIds.length === 0) return 0;
    const [row] = rowsOf<{ n: number }>(
      await handle.db.execute(
        sql`select count(*)::int as n from pgboss.job where name = 'status-write-back' and data->>'writeBackId' = any(${`{${writeBackIds.join(",")}}`}::text[])`,
      ),
    );
    return Number(row!.n);
  }

  describe("reasons and end dates", () => {
    it("refuses Fixed, Risk Accepted and False Positive without a reason, and Risk Accepted without a sensible end date", async () => {
      const t = await tenant({ fqdns: 1, apisPerFqdn: 3, issuesPerApi: 3, seed: 3 });
      const analyst = await callerFor(t.members.analyst.email);
      const issue = await anIssue(t.companyId);
      for (const status of ["fixed", "false_positive"] as const) {
        const error = await trpcError(analyst.issues.setStatus({ id: issue.id, status }));
        expect(error.code).toBe("BAD_REQUEST");
        expect(error.message).toMatch(/Give a reason/);
      }
      const until = (days: number) => new Date(Date.now() + days * DAY);
      expect((await trpcError(analyst.issues.setStatus({ id: issue.id, status: "risk_accepted", reason: "compensating WAF rule" }))).message).toMatch(
        /Choose until when/,
      );
      expect((await trpcError(analyst.issues.setStatus({ id: issue.id, status: "risk_accepted", reason: "waf", riskAcceptedUntil: until(-1) }))).message).toMatch(
        /in the future/,
      );
      expect((await trpcError(analyst.issues.setStatus({ id: issue.id, status: "risk_accepted", reason: "waf", riskAcceptedUntil: until(400) }))).message).toMatch(
        /at most 365 days/,
      );
      expect((await trpcError(analyst.issues.setStatus({ id: issue.id, status: "in_progress", riskAcceptedUntil: until(5) }))).message).toMatch(
        /only to Risk Accepted/,
      );
      const [unchanged] = await handle.db.select().from(issues).where(eq(issues.id, issue.id));
      expect(unchanged!.status).toBe("identified");

      const viewer = await callerFor(t.members.viewer.email);
      expect((await trpcError(viewer.issues.setStatus({ id: issue.id, status: "in_progress" }))).code).toBe("FORBIDDEN");

      const end = until(30);
      const result = await analyst.issues.setStatus({ id: issue.id, status: "risk_accepted", reason: "compensating WAF rule", riskAcceptedUntil: end });
      expect(result.changed).toBe(true);
      expect(result.issue.riskAcceptedUntil?.getTime()).toBe(end.getTime());
      const [history] = await analyst.issues.history({ id: issue.id });
      expect(history).toMatchObject({ toStatus: "risk_accepted", note: "compensating WAF rule", origin: "user" });
      expect(history!.riskAcceptedUntil?.getTime()).toBe(end.getTime());
      // Leaving Risk Accepted clears the end date.
      await analyst.issues.setStatus({ id: issue.id, status: "in_progress" });
      const [after] = await handle.db.select().from(issues).where(eq(issues.id, issue.id));
      expect(after!.riskAcceptedUntil).toBeNull();
    });
  });

  describe("undo before the write-back is sent", () => {
    it("takes a change back while its write-back waits, and refuses once it is due", async () => {
      const t = await tenant({ fqdns: 1, apisPerFqdn: 3, issuesPerApi: 3, seed: 5 });
      const issue = await anIssue(t.companyId);
      const userId = t.members.analyst.userId;
      const [domainBefore] = await handle.db.select().from(assets).where(eq(assets.id, issue.domainAssetId!));

      const change = await changeIssueStatusByUser(
        handle.db,
        { companyId: t.companyId, issueId: issue.id, status: "fixed", userId, note: "patched" },
        { boss, delaySeconds: 60 },
      );
      expect(change!.writeBack).toMatchObject({ state: "pending" });
      // The job would find it not yet due: nothing is sent in the window.
      await expect(runStatusWriteBack(handle.db, { writeBackId: change!.writeBack!.writeBackId, companyId: t.companyId }, { finalAttempt: false })).rejects.toThrow(
        /not due/,
      );

      // Someone else cannot undo another person's change.
      const other = await undoStatusChange(handle.db, {
        companyId: t.companyId,
        issueId: issue.id,
        statusHistoryId: change!.change!.statusHistoryId,
        userId: t.members.admin.userId,
        undoSeconds: 60,
      });
      expect(other).toMatchObject({ undone: false });

      const undone = await undoStatusChange(handle.db, {
        companyId: t.companyId,
        issueId: issue.id,
        statusHistoryId: change!.change!.statusHistoryId,
        userId,
        undoSeconds: 60,
      });
      expect(undone).toEqual({ undone: true, status: "identified" });
      const [restored] = await handle.db.select().from(issues).where(eq(issues.id, issue.id));
      expect(restored).toMatchObject({ status: "identified", statusOrigin: "sync", statusChangedBy: null });
      const [writeBack] = await handle.db.select().from(statusWriteBacks).where(eq(statusWriteBacks.id, change!.writeBack!.writeBackId));
      expect(writeBack).toMatchObject({ state: "skipped", lastError: "Undone before it was sent.", attempts: 0 });
      const history = await handle.db.select().from(statusHistory).where(eq(statusHistory.issueId, issue.id));
      expect(history.map((h) => h.toStatus).sort()).toEqual(["fixed", "identified"]);
      const [domainAfter] = await handle.db.select().from(assets).where(eq(assets.id, issue.domainAssetId!));
      expect(domainAfter!.openIssueCount).toBe(domainBefore!.openIssueCount);

      // Without a window the write-back is due at once: too late to undo.
      const immediate = await changeIssueStatusByUser(
        handle.db,
        { companyId: t.companyId, issueId: issue.id, status: "in_progress", userId },
        { boss, delaySeconds: 0 },
      );
      const late = await undoStatusChange(handle.db, {
        companyId: t.companyId,
        issueId: issue.id,
        statusHistoryId: immediate!.change!.statusHistoryId,
        userId,
        undoSeconds: 0,
      });
      expect(late).toMatchObject({ undone: false, reason: expect.stringMatching(/Too late/) });
      const [kept] = await handle.db.select().from(issues).where(eq(issues.id, issue.id));
      expect(kept!.status).toBe("in_progress");
    });
  });

  describe("risk acceptance expiry", () => {
    it("returns expired acceptances to Identified with a history row and a write-back that follows the mapping", async () => {
      const t = await tenant({ fqdns: 1, apisPerFqdn: 4, issuesPerApi: 3, seed: 7 });
      const analyst = await callerFor(t.members.analyst.email);
      const [first, second] = await handle.db
        .select()
        .from(issues)
        .where(and(eq(issues.companyId, t.companyId), eq(issues.status, "identified")))
        .limit(2);
      await analyst.issues.setStatus({ id: first!.id, status: "risk_accepted", reason: "mitigated", riskAcceptedUntil: new Date(Date.now() + 2 * DAY) });
      await analyst.issues.setStatus({ id: second!.id, status: "risk_accepted", reason: "mitigated", riskAcceptedUntil: new Date(Date.now() + 20 * DAY) });

      expect((await expireRiskAcceptances(handle.db, { now: new Date(), boss })).changed).toBe(0);
      const result = await expireRiskAcceptances(handle.db, { now: new Date(Date.now() + 3 * DAY), boss });
      expect(result.changed).toBe(1);

      const [expired] = await handle.db.select().from(issues).where(eq(issues.id, first!.id));
      expect(expired).toMatchObject({ status: "identified", statusOrigin: "system", riskAcceptedUntil: null });
      const [kept] = await handle.db.select().from(issues).where(eq(issues.id, second!.id));
      expect(kept!.status).toBe("risk_accepted");
      const [history] = await analyst.issues.history({ id: first!.id });
      expect(history).toMatchObject({ fromStatus: "risk_accepted", toStatus: "identified", origin: "system", note: "Risk acceptance expired." });
      const writeBacks = await handle.db
        .select()
        .from(statusWriteBacks)
        .where(and(eq(statusWriteBacks.issueId, first!.id), eq(statusWriteBacks.toStatus, "identified")));
      expect(writeBacks).toHaveLength(1);
      expect(writeBacks[0]).toMatchObject({ state: "pending", externalStatus: "Open", statusHistoryId: history!.id });
      expect(await jobsFor([writeBacks[0]!.id])).toBe(1);
      // Running it again changes nothing more.
      expect((await expireRiskAcceptances(handle.db, { now: new Date(Date.now() + 3 * DAY), boss })).changed).toBe(0);
    });
  });

  describe("bulk changes", () => {
    it("changes 10,000+ issues matching a filter: one history row and one write-back job each, figures recomputed", async () => {
      const t = await tenant({ fqdns: 45, apisPerFqdn: 25, issuesPerApi: 10, seed: 17 });
      const analyst = await callerFor(t.members.analyst.email);
      const matching = await analyst.issues.matchingCount({});
      expect(matching).toBeGreaterThanOrEqual(10_000);
      const [{ n: notFixed }] = (await handle.db
        .select({ n: count() })
        .from(issues)
        .where(and(eq(issues.companyId, t.companyId), sql`${issues.status} <> 'fixed'`))) as [{ n: number }];

      const result = await analyst.issues.bulkUpdate({ selection: { filter: {} }, change: { kind: "status", status: "fixed", reason: "release 7 fixes all" } });
      expect(result.changed).toBe(notFixed);
      expect(result.writeBacks).toEqual({ pending: notFixed, skipped: 0 });

      const perIssue = rowsOf<{ issues: number; rows: number }>(
        await handle.db.execute(sql`select count(distinct issue_id)::int as issues, count(*)::int as rows from status_history
          where company_id = ${t.companyId} and note = 'release 7 fixes all' and origin = 'user'`),
      );
      expect(perIssue[0]).toEqual({ issues: notFixed, rows: notFixed });
      const writeBackRows = await handle.db
        .select({ id: statusWriteBacks.id, historyId: statusWriteBacks.statusHistoryId, externalStatus: statusWriteBacks.externalStatus })
        .from(statusWriteBacks)
        .where(eq(statusWriteBacks.companyId, t.companyId));
      expect(writeBackRows).toHaveLength(notFixed);
      expect(new Set(writeBackRows.map((r) => r.historyId)).size).toBe(notFixed);
      expect(new Set(writeBackRows.map((r) => r.externalStatus))).toEqual(new Set(["Resolved"]));
      expect(await jobsFor(writeBackRows.map((r) => r.id))).toBe(notFixed);

      // Nothing is open any more: every asset's figures say so.
      const [open] = await handle.db
        .select({ n: sql<number>`coalesce(sum(${assets.openIssueCount}), 0)::int` })
        .from(assets)
        .where(eq(assets.companyId, t.companyId));
      expect(Number(open!.n)).toBe(0);

      // The same change again touches nothing and queues nothing.
      const again = await analyst.issues.bulkUpdate({ selection: { filter: {} }, change: { kind: "status", status: "fixed", reason: "again" } });
      expect(again).toMatchObject({ changed: 0 });
    }, 120_000);

    it("applies owner and business impact to ticked rows, with the same validation and permissions", async () => {
      const t = await tenant({ fqdns: 2, apisPerFqdn: 3, issuesPerApi: 3, seed: 23 });
      const analyst = await callerFor(t.members.analyst.email);
      const viewer = await callerFor(t.members.viewer.email);
      const page = await analyst.issues.list({ sort: "severity", dir: "desc", page: 1 });
      const ids = page.rows.slice(0, 3).map((r) => r.id);

      expect((await trpcError(viewer.issues.bulkUpdate({ selection: { ids }, change: { kind: "owner", ownerUserId: t.members.analyst.userId } }))).code).toBe(
        "FORBIDDEN",
      );
      expect((await trpcError(analyst.issues.bulkUpdate({ selection: { ids }, change: { kind: "status", status: "risk_accepted", reason: "x" } }))).message).toMatch(
        /Choose until when/,
      );
      expect(await analyst.issues.bulkUpdate({ selection: { ids }, change: { kind: "owner", ownerUserId: t.members.analyst.userId } })).toMatchObject({ changed: 3 });
      const mine = await analyst.issues.list({ owners: ["me"], sort: "severity", dir: "desc", page: 1 });
      expect(mine.rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect((await viewer.issues.list({ owners: ["me"], sort: "severity", dir: "desc", page: 1 })).rows).toEqual([]);

      const result = await analyst.issues.bulkUpdate({ selection: { ids }, change: { kind: "businessImpact", businessImpact: "high" } });
      expect(result.changed).toBeGreaterThanOrEqual(1);
      const touched = await handle.db.select({ domainAssetId: issues.domainAssetId }).from(issues).where(sql`${issues.id} in ${ids}`);
      for (const { domainAssetId } of touched) {
        const [domain] = await handle.db.select().from(assets).where(eq(assets.id, domainAssetId!));
        expect(domain!.businessImpact).toBe("high");
      }
    });
  });

  describe("owner", () => {
    it("is a member of the issue's company: another company's user is refused, viewers only read", async () => {
      const t = await tenant({ fqdns: 1, apisPerFqdn: 2, issuesPerApi: 3, seed: 29 });
      const other = await seedCompany(handle);
      const analyst = await callerFor(t.members.analyst.email);
      const viewer = await callerFor(t.members.viewer.email);
      const issue = await anIssue(t.companyId);

      const refused = await trpcError(analyst.issues.setOwner({ id: issue.id, ownerUserId: other.members.analyst.userId }));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(refused.message).toMatch(/not a member of this company/);
      expect((await trpcError(analyst.issues.bulkUpdate({ selection: { ids: [issue.id] }, change: { kind: "owner", ownerUserId: other.members.admin.userId } }))).message).toMatch(
        /not a member/,
      );
      expect((await trpcError(viewer.issues.setOwner({ id: issue.id, ownerUserId: t.members.viewer.userId }))).code).toBe("FORBIDDEN");
      const outsider = await callerFor(other.members.admin.email);
      expect((await trpcError(outsider.issues.setOwner({ id: issue.id, ownerUserId: other.members.admin.userId }))).code).toBe("NOT_FOUND");

      await analyst.issues.setOwner({ id: issue.id, ownerUserId: t.members.viewer.userId });
      const detail = await viewer.issues.byId({ id: issue.id });
      expect(detail.owner).toMatchObject({ id: t.members.viewer.userId, name: "Viewer User" });
      const assignees = await viewer.issues.assignees();
      expect(assignees.map((a) => a.userId).sort()).toEqual(Object.values(t.members).map((m) => m.userId).sort());
      await analyst.issues.setOwner({ id: issue.id, ownerUserId: null });
      expect((await viewer.issues.byId({ id: issue.id })).owner).toBeNull();
    });
  });

  describe("comments", () => {
    it("keeps the text as typed and renders Markdown without executable HTML", async () => {
      const t = await tenant({ fqdns: 1, apisPerFqdn: 2, issuesPerApi: 3, seed: 31 });
      const analyst = await callerFor(t.members.analyst.email);
      const viewer = await callerFor(t.members.viewer.email);
      const other = await seedCompany(handle);
      const outsider = await callerFor(other.members.admin.email);
      const issue = await anIssue(t.companyId);
      const body = [
        "**Fixed** in `v2.1`, see [ticket](https://tickets.example.test/1).",
        '<script>alert("x")</script><img src=x onerror="alert(1)">',
        "[click](javascript:alert(document.cookie)) and <a href=\"javascript:alert(2)\">raw link</a>",
      ].join("\n\n");

      expect((await trpcError(viewer.issues.addComment({ id: issue.id, body: "hi" }))).code).toBe("FORBIDDEN");
      expect((await trpcError(outsider.issues.addComment({ id: issue.id, body: "hi" }))).code).toBe("NOT_FOUND");
      expect((await trpcError(analyst.issues.addComment({ id: issue.id, body: "   " }))).code).toBe("BAD_REQUEST");
      await analyst.issues.addComment({ id: issue.id, body });

      const comments = await viewer.issues.comments({ id: issue.id });
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatchObject({ body, userName: "Analyst User", userEmail: t.members.analyst.email });
      expect(await outsider.issues.comments({ id: issue.id })).toEqual([]);

      const html = renderToStaticMarkup(createElement(Markdown, null, comments[0]!.body));
      expect(html).toContain("<strong>Fixed</strong>");
      expect(html).toContain('href="https://tickets.example.test/1"');
      expect(html).not.toMatch(/<script|<img|onerror|javascript:/i);
      expect(html).toContain("<span>click</span>");
    });
  });
});
