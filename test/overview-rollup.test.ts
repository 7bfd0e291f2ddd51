// The Overview's rollup on both databases: after a mixed sequence of writes — sync creating and closing issues, a
// scanner's explicit fix, a person's changes, a bulk change, an expired risk acceptance, an undo, and history
// written at a week boundary and across New Year — the rollup equals a recomputation from status_history, the open
// counts equal the issues, and the Overview's trend and mean time to fix read from it equal the history queries.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, rowsOf } from "@/db/client";
import { meanTimeToFix, meanTimeToFixFromHistory, weeklyTrend, weeklyTrendFromHistory } from "@/db/queries/overview";
import { assets, defaultSeverityFilter, integrations, issueOpenCounts, issues, issueWeekRollup, openIssueStatuses, type Severity, statusHistory } from "@/db/schema";
import { applyBulkChange, expireRiskAcceptances } from "@/server/issues/bulk";
import { changeIssueStatusByUser, undoStatusChange } from "@/server/issues/status";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { closeAbsences, ingestFindings, type IngestScope } from "@/server/sync/ingest";
import type { SourceFinding } from "@/server/sync/types";
import { createTestDatabase, type TestEngine } from "./databases";
import { installDatabase, seedCompany } from "./fixtures";

const DAY = 86_400_000;

function finding(id: string, severity: Severity, mappedStatus: SourceFinding["mappedStatus"] = "identified"): SourceFinding {
  return {
    externalId: id,
    title: `Gap ${id}`,
    severity,
    externalStatus: mappedStatus === "fixed" ? "Resolved" : "Open",
    mappedStatus,
    categories: ["Authentication"],
    cwe: null,
    detectedAt: new Date(Date.now() - 3 * DAY),
    lastActivityAt: null,
    endpoint: { ref: `ep-${id}`, name: `GET /v1/${id}`, method: "GET", path: `/v1/${id}`, labels: [] },
    details: {},
  };
}

describe.each<TestEngine>(["postgres", "pglite"])("overview rollup on %s", (engine) => {
  let handle: DatabaseHandle;
  let boss: PgBoss;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    installDatabase(handle);
    resetJobRuntime();
    boss = await getBoss();
  }, 180_000);

  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    resetJobRuntime();
    await handle?.close();
  });

  /** The rollup's rows as the status history says they should be (the rules in db/schema/issues.ts). */
  async function recomputed(companyId: string) {
    return rowsOf<Record<string, unknown>>(
      await handle.db.execute(sql`
        select to_char(date_trunc('week', h.created_at, 'UTC') at time zone 'UTC', 'YYYY-MM-DD') as week, i.severity::text as severity,
               (count(*) filter (where h.from_status is null and h.to_status in ('identified', 'in_progress')))::int as new,
               (count(distinct h.issue_id) filter (where h.to_status = 'fixed' and h.from_status <> 'fixed'))::int as fixed,
               (sum((h.to_status in ('identified', 'in_progress'))::int - coalesce((h.from_status in ('identified', 'in_progress'))::int, 0)))::int as delta,
               (count(*) filter (where h.to_status = 'fixed' and h.from_status <> 'fixed'))::int as fixes,
               round(coalesce(sum(extract(epoch from h.created_at - coalesce(
                 (select max(s.created_at) from status_history s where s.issue_id = h.issue_id and s.created_at <= h.created_at
                    and (s.from_status is null or (s.from_status = 'fixed' and s.to_status <> 'fixed'))), i.created_at)))
                 filter (where h.to_status = 'fixed' and h.from_status <> 'fixed'), 0)::numeric, 3)::float8 as seconds
        from status_history h join issues i on i.id = h.issue_id
        where h.company_id = ${companyId}::uuid
        group by 1, 2
        having count(*) filter (where h.from_status is null and h.to_status in ('identified', 'in_progress')) > 0
            or count(*) filter (where h.to_status = 'fixed' and h.from_status <> 'fixed') > 0
            or sum((h.to_status in ('identified', 'in_progress'))::int - coalesce((h.from_status in ('identified', 'in_progress'))::int, 0)) <> 0
        order by 1, 2`),
    );
  }

  async function rollup(companyId: string) {
    return rowsOf<Record<string, unknown>>(
      await handle.db.execute(sql`
        select to_char(week_start at time zone 'UTC', 'YYYY-MM-DD') as week, severity::text as severity, new_count as new,
               fixed_count as fixed, open_delta as delta, fix_count as fixes, round(fix_seconds::numeric, 3)::float8 as seconds
        from ${issueWeekRollup}
        where company_id = ${companyId}::uuid and (new_count, fixed_count, open_delta, fix_count) <> (0, 0, 0, 0)
        order by 1, 2`),
    );
  }

  async function openCounts(companyId: string) {
    const kept = await handle.db
      .select({ severity: issueOpenCounts.severity, n: issueOpenCounts.openCount })
      .from(issueOpenCounts)
      .where(eq(issueOpenCounts.companyId, companyId));
    const counted = await handle.db
      .select({ severity: issues.severity, n: sql<number>`count(*)::int` })
      .from(issues)
      .where(and(eq(issues.companyId, companyId), inArray(issues.status, [...openIssueStatuses])))
      .groupBy(issues.severity);
    const asMap = (rows: { severity: string; n: number }[]) => Object.fromEntries(rows.filter((r) => Number(r.n) !== 0).map((r) => [r.severity, Number(r.n)]));
    return { kept: asMap(kept), counted: asMap(counted) };
  }

  describe("after every kind of writer", () => {
    let companyId: string;
    let analystId: string;

    beforeAll(async () => {
      const seeded = await seedCompany(handle);
      companyId = seeded.company.id;
      analystId = seeded.members.analyst.userId;
      const [domain] = await handle.db
        .insert(assets)
        .values({ companyId, assetType: "domain", name: "shop.example", externalRef: "shop.example" })
        .returning();
      const [salt] = await handle.db
        .insert(integrations)
        .values({ companyId, kind: "salt_security", state: "connected", wizardStep: "done", region: "us", canWriteBack: true })
        .returning();
      const [tenable] = await handle.db.insert(integrations).values({ companyId, kind: "tenable_io", state: "connected", wizardStep: "done" }).returning();
      const scope = (integration: typeof salt, explicitFixes: boolean): IngestScope => ({
        companyId,
        integrationId: integration!.id,
        kind: integration!.kind,
        domainAssetId: domain!.id,
        origin: "sync",
        explicitFixes,
        severityFilter: defaultSeverityFilter,
        closedReason: "No longer reported.",
        reopenNote: "Reported again.",
        sourceName: integration!.kind,
      });

      // History written at a week boundary (Sunday 23:30 UTC, then Monday 00:30) and across New Year, each row in
      // its own statement, the issue fixed twice in one week (counted once as fixed, twice as fixes).
      const [old] = await handle.db
        .insert(issues)
        .values({ companyId, assetId: domain!.id, domainAssetId: domain!.id, title: "Old gap", severity: "high", status: "fixed", createdAt: new Date("2025-12-28T23:00:00Z") })
        .returning();
      for (const [fromStatus, toStatus, when] of [
        [null, "identified", "2025-12-28T23:30:00Z"],
        ["identified", "fixed", "2025-12-29T00:30:00Z"],
        ["fixed", "identified", "2025-12-31T23:59:59Z"],
        ["identified", "fixed", "2026-01-01T00:00:01Z"],
        ["fixed", "identified", "2026-01-04T23:59:59Z"],
        ["identified", "fixed", "2026-01-05T00:00:00Z"],
      ] as const) {
        await handle.db.insert(statusHistory).values({ companyId, issueId: old!.id, fromStatus, toStatus, origin: "sync", createdAt: new Date(when) });
      }

      // Sync: creates six issues, then a complete read without s5 and s6 closes those, then s5 comes back.
      const saltScope = scope(salt, false);
      const six = [finding("s1", "critical"), finding("s2", "high"), finding("s3", "high"), finding("s4", "medium"), finding("s5", "low"), finding("s6", "critical")];
      await ingestFindings(handle.db, saltScope, six);
      await closeAbsences(handle.db, saltScope, { findingIds: ["s1", "s2", "s3", "s4"], endpointRefs: null });
      await ingestFindings(handle.db, saltScope, [finding("s5", "low")]);

      // A scanner that reports fixes itself (the Tenable import's path): found, then reported fixed.
      const tenableScope = scope(tenable, true);
      await ingestFindings(handle.db, tenableScope, [finding("t1", "medium"), finding("t2", "critical")]);
      await ingestFindings(handle.db, tenableScope, [finding("t1", "medium", "fixed")]);

      const byExternal = async (id: string) => (await handle.db.select().from(issues).where(and(eq(issues.companyId, companyId), eq(issues.externalId, id))))[0]!;
      // A person's changes, one undone before the write-back was sent.
      await changeIssueStatusByUser(handle.db, { companyId, issueId: (await byExternal("s1")).id, status: "in_progress", userId: analystId }, { boss });
      await changeIssueStatusByUser(handle.db, { companyId, issueId: (await byExternal("s1")).id, status: "fixed", userId: analystId, note: "patched" }, { boss });
      const undone = await changeIssueStatusByUser(
        handle.db,
        { companyId, issueId: (await byExternal("s2")).id, status: "fixed", userId: analystId, note: "patched" },
        { boss, delaySeconds: 60 },
      );
      const undo = await undoStatusChange(handle.db, {
        companyId,
        issueId: (await byExternal("s2")).id,
        statusHistoryId: undone!.change!.statusHistoryId,
        userId: analystId,
        undoSeconds: 60,
      });
      expect(undo).toMatchObject({ undone: true });

      // Bulk: two fixed, two accepted until tomorrow, then the expiry job two days on returns those to Identified.
      const ids = async (...external: string[]) => Promise.all(external.map(async (id) => (await byExternal(id)).id));
      await applyBulkChange(handle.db, { companyId, userId: analystId, selection: { ids: await ids("s3", "s4") }, change: { kind: "status", status: "fixed", reason: "retired" } }, { boss });
      await applyBulkChange(
        handle.db,
        {
          companyId,
          userId: analystId,
          selection: { ids: await ids("s2", "t2") },
          change: { kind: "status", status: "risk_accepted", reason: "WAF rule", riskAcceptedUntil: new Date(Date.now() + DAY) },
        },
        { boss },
      );
      expect((await expireRiskAcceptances(handle.db, { now: new Date(Date.now() + 2 * DAY), boss })).changed).toBe(2);
    }, 180_000);

    it("keeps the rollup equal to a recomputation from status_history, per week and severity", async () => {
      const expected = await recomputed(companyId);
      // The boundary weeks: Sunday night and Monday are two weeks; New Year's Eve and Day are one, fixed once there.
      expect(expected.filter((r) => String(r.week) < "2026-02-01")).toEqual([
        { week: "2025-12-22", severity: "high", new: 1, fixed: 0, delta: 1, fixes: 0, seconds: 0 },
        { week: "2025-12-29", severity: "high", new: 0, fixed: 1, delta: 0, fixes: 2, seconds: 3600 + 2 },
        { week: "2026-01-05", severity: "high", new: 0, fixed: 1, delta: -1, fixes: 1, seconds: 1 },
      ]);
      expect(await rollup(companyId)).toEqual(expected);
    });

    it("keeps the open count per severity equal to the open issues", async () => {
      const { kept, counted } = await openCounts(companyId);
      expect(kept).toEqual(counted);
      // s2 and t2 back from their acceptance, s5 reported again.
      expect(counted).toEqual({ critical: 1, high: 1, low: 1 });
    });

    it("gives the Overview the same trend and mean time to fix as the history queries", async () => {
      const now = new Date();
      expect(await weeklyTrend(handle.db, { companyId, now })).toEqual(await weeklyTrendFromHistory(handle.db, { companyId, now }));
      const fromRollup = await meanTimeToFix(handle.db, { companyId, now });
      const fromHistory = await meanTimeToFixFromHistory(handle.db, { companyId, now });
      for (const severity of Object.keys(fromHistory) as Severity[]) {
        expect(fromRollup[severity].fixes).toBe(fromHistory[severity].fixes);
        if (fromHistory[severity].meanDays === null) expect(fromRollup[severity].meanDays).toBeNull();
        else expect(fromRollup[severity].meanDays).toBeCloseTo(fromHistory[severity].meanDays!, 6);
      }
      // s1 by a person, s2 by a person and undone (the history keeps both rows, as the history queries counted),
      // s3 and s4 in bulk, s5 and s6 closed by the sync, t1 by the scanner; the old issue's fixes are before the window.
      expect(Object.values(fromRollup).reduce((n, s) => n + s.fixes, 0)).toBe(7);
    });

    it("takes a deleted open issue out of this week's open count and leaves earlier weeks as they were", async () => {
      const now = new Date();
      const before = await weeklyTrend(handle.db, { companyId, now });
      const [open] = await handle.db
        .select()
        .from(issues)
        .where(and(eq(issues.companyId, companyId), eq(issues.externalId, "s5")));
      await handle.db.delete(issues).where(eq(issues.id, open!.id));
      const after = await weeklyTrend(handle.db, { companyId, now });
      expect(after.at(-1)!.open).toBe(before.at(-1)!.open - 1);
      expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
      const { kept, counted } = await openCounts(companyId);
      expect(kept).toEqual(counted);
    });
  });
});
