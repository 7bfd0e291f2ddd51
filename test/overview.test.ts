// The Overview's arithmetic on both databases: the weekly trend from the status history (UTC weeks across a year
// boundary, a change at a time-zone edge, an issue reopened and fixed twice, another company's history left out),
// the mean time to fix, and SLA states — counted, filtered in the Issues list, and changed by an admin.
import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { countSlaStates, meanTimeToFix, utcWeekStart, weeklyTrend } from "@/db/queries/overview";
import { assets, auditLog, type IssueStatus, issues, type Severity, statusHistory } from "@/db/schema";
import { defaultSlaPolicy, slaStateOf } from "@/lib/sla";
import { createTestDatabase, type TestEngine } from "./databases";
import { callerFor, installDatabase, seedCompany } from "./fixtures";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

describe("utcWeekStart", () => {
  it("starts weeks on Monday 00:00 UTC, across a year boundary", () => {
    expect(utcWeekStart(at("2026-01-01T12:00:00Z")).toISOString()).toBe("2025-12-29T00:00:00.000Z");
    expect(utcWeekStart(at("2025-12-28T23:59:59Z")).toISOString()).toBe("2025-12-22T00:00:00.000Z");
    expect(utcWeekStart(at("2025-12-29T00:00:00Z")).toISOString()).toBe("2025-12-29T00:00:00.000Z");
  });
});

describe("slaStateOf", () => {
  const now = at("2026-03-10T00:00:00Z");
  const base = { status: "identified" as IssueStatus, createdAt: now };
  it("is breached past the deadline, due soon within min(20 % of the SLA, 7 days) of it, and none when closed or without an SLA", () => {
    expect(slaStateOf({ ...base, severity: "critical", detectedAt: new Date(now.getTime() - 8 * DAY) }, defaultSlaPolicy, now).state).toBe("breached");
    expect(slaStateOf({ ...base, severity: "critical", detectedAt: new Date(now.getTime() - 6 * DAY) }, defaultSlaPolicy, now).state).toBe("due_soon");
    expect(slaStateOf({ ...base, severity: "critical", detectedAt: new Date(now.getTime() - 5 * DAY) }, defaultSlaPolicy, now).state).toBe("within");
    // Low: 180 days, due soon only in the last 7 (not 36).
    expect(slaStateOf({ ...base, severity: "low", detectedAt: new Date(now.getTime() - 170 * DAY) }, defaultSlaPolicy, now).state).toBe("within");
    expect(slaStateOf({ ...base, severity: "low", detectedAt: new Date(now.getTime() - 174 * DAY) }, defaultSlaPolicy, now).state).toBe("due_soon");
    expect(slaStateOf({ ...base, severity: "notification", detectedAt: new Date(0) }, defaultSlaPolicy, now).state).toBe("none");
    expect(slaStateOf({ ...base, status: "fixed", severity: "critical", detectedAt: new Date(0) }, defaultSlaPolicy, now).state).toBe("none");
    // No detection date from the source: the clock starts when Postura first saw it.
    expect(slaStateOf({ ...base, severity: "critical", detectedAt: null, createdAt: new Date(now.getTime() - 8 * DAY) }, defaultSlaPolicy, now).state).toBe("breached");
  });
});

describe.each<TestEngine>(["postgres", "pglite"])("overview on %s", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    installDatabase(handle);
  });

  afterAll(async () => {
    await handle?.close();
  });

  async function domainWithApi(companyId: string) {
    const [domain] = await handle.db
      .insert(assets)
      .values({ companyId, assetType: "domain", name: `d${Math.random().toString(36).slice(2, 8)}.example`, externalRef: `d-${Math.random()}` })
      .returning();
    const [api] = await handle.db
      .insert(assets)
      .values({ companyId, assetType: "api", name: "GET /v1/items", externalRef: `a-${Math.random()}`, parentId: domain!.id })
      .returning();
    return { domainId: domain!.id, apiId: api!.id };
  }

  async function issue(
    companyId: string,
    place: { domainId: string; apiId: string },
    values: { severity: Severity; status: IssueStatus; detectedAt?: Date | null; createdAt?: Date; title?: string },
  ) {
    const [row] = await handle.db
      .insert(issues)
      .values({ companyId, assetId: place.apiId, domainAssetId: place.domainId, title: values.title ?? "Gap", ...values })
      .returning();
    return row!;
  }

  async function history(companyId: string, issueId: string, steps: [IssueStatus | null, IssueStatus, string][]) {
    await handle.db
      .insert(statusHistory)
      .values(steps.map(([fromStatus, toStatus, when]) => ({ companyId, issueId, fromStatus, toStatus, origin: "sync" as const, createdAt: at(when) })));
  }

  describe("weekly trend and mean time to fix", () => {
    // Wednesday of the first week of 2026; that week began Monday 2026-01-05, the window Monday 2025-10-20.
    const now = at("2026-01-07T12:00:00Z");
    let companyId: string;

    beforeAll(async () => {
      companyId = (await seedCompany(handle)).company.id;
      const place = await domainWithApi(companyId);
      // A: found on Sunday 28 Dec 23:30 UTC (already Monday in UTC+2 — it stays in the week of 22 Dec), fixed an
      // hour later in the week holding New Year, reopened in that week, fixed again in the first week of 2026.
      const a = await issue(companyId, place, { severity: "high", status: "fixed" });
      await history(companyId, a.id, [
        [null, "identified", "2025-12-28T23:30:00Z"],
        ["identified", "fixed", "2025-12-29T00:30:00Z"],
        ["fixed", "identified", "2026-01-02T10:00:00Z"],
        ["identified", "fixed", "2026-01-06T10:00:00Z"],
      ]);
      // B: found before the window, still open.
      const b = await issue(companyId, place, { severity: "medium", status: "in_progress" });
      await history(companyId, b.id, [
        [null, "identified", "2025-09-01T08:00:00Z"],
        ["identified", "in_progress", "2025-12-30T08:00:00Z"],
      ]);
      // C: found on New Year's Eve one second before midnight UTC, still open.
      const c = await issue(companyId, place, { severity: "critical", status: "identified" });
      await history(companyId, c.id, [[null, "identified", "2025-12-31T23:59:59Z"]]);
      // D: accepted as a risk in the window: it leaves the open count.
      const d = await issue(companyId, place, { severity: "low", status: "risk_accepted" });
      await history(companyId, d.id, [
        [null, "identified", "2025-10-21T00:00:00Z"],
        ["identified", "risk_accepted", "2025-11-05T00:00:00Z"],
      ]);
      // Another company's history in the same weeks counts nowhere.
      const other = (await seedCompany(handle)).company.id;
      const otherIssue = await issue(other, await domainWithApi(other), { severity: "high", status: "fixed" });
      await history(other, otherIssue.id, [
        [null, "identified", "2025-12-29T09:00:00Z"],
        ["identified", "fixed", "2026-01-06T09:00:00Z"],
      ]);
    });

    it("counts new, fixed and open per UTC week, exactly, whatever the session's time zone", async () => {
      // Run it with the database session in a far-east zone (UTC+14): weeks must not move.
      const weeks = await handle.db.transaction(async (tx) => {
        await tx.execute(sql`set local time zone 'Pacific/Kiritimati'`);
        return weeklyTrend(tx, { companyId, now });
      });
      expect(weeks).toHaveLength(12);
      expect(weeks[0]!.weekStart.toISOString()).toBe("2025-10-20T00:00:00.000Z");
      expect(weeks[11]!.weekStart.toISOString()).toBe("2026-01-05T00:00:00.000Z");
      const byStart = Object.fromEntries(weeks.map((w) => [w.weekStart.toISOString().slice(0, 10), { new: w.new, fixed: w.fixed, open: w.open }]));
      expect(byStart).toEqual({
        "2025-10-20": { new: 1, fixed: 0, open: 2 }, // B and D
        "2025-10-27": { new: 0, fixed: 0, open: 2 },
        "2025-11-03": { new: 0, fixed: 0, open: 1 }, // D accepted
        "2025-11-10": { new: 0, fixed: 0, open: 1 },
        "2025-11-17": { new: 0, fixed: 0, open: 1 },
        "2025-11-24": { new: 0, fixed: 0, open: 1 },
        "2025-12-01": { new: 0, fixed: 0, open: 1 },
        "2025-12-08": { new: 0, fixed: 0, open: 1 },
        "2025-12-15": { new: 0, fixed: 0, open: 1 },
        "2025-12-22": { new: 1, fixed: 0, open: 2 }, // A found on Sunday night UTC
        "2025-12-29": { new: 1, fixed: 1, open: 3 }, // C found; A fixed, reopened: open at the week's end
        "2026-01-05": { new: 0, fixed: 1, open: 2 }, // A fixed again; B and C open now
      });
    });

    it("measures each fix from when the issue was found or last reopened, an issue fixed twice counting twice", async () => {
      const mttf = await meanTimeToFix(handle.db, { companyId, now });
      expect(mttf.high.fixes).toBe(2);
      // (1 hour + 3 days 24 hours) / 2
      expect(mttf.high.meanDays).toBeCloseTo((HOUR / DAY + 4) / 2, 6);
      expect(mttf.critical).toEqual({ fixes: 0, meanDays: null });
    });
  });

  describe("SLA", () => {
    let company: Awaited<ReturnType<typeof seedCompany>>;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      company = await seedCompany(handle);
      const companyId = company.company.id;
      const place = await domainWithApi(companyId);
      const ago = (days: number) => new Date(Date.now() - days * DAY);
      const make = async (key: string, values: Parameters<typeof issue>[2]) => {
        ids[key] = (await issue(companyId, place, { title: key, ...values })).id;
      };
      await make("critical-8d", { severity: "critical", status: "identified", detectedAt: ago(8) });
      await make("critical-6d", { severity: "critical", status: "in_progress", detectedAt: ago(6) });
      await make("critical-5d", { severity: "critical", status: "identified", detectedAt: ago(5) });
      await make("high-25d", { severity: "high", status: "identified", detectedAt: ago(25) });
      await make("low-no-date-200d", { severity: "low", status: "identified", detectedAt: null, createdAt: ago(200) });
      await make("notification-old", { severity: "notification", status: "identified", detectedAt: ago(1000) });
      await make("critical-fixed", { severity: "critical", status: "fixed", detectedAt: ago(30) });
      const other = (await seedCompany(handle)).company.id;
      await issue(other, await domainWithApi(other), { severity: "critical", status: "identified", detectedAt: ago(30) });
    });

    async function titles(state: "breached" | "due_soon", email = company.members.viewer.email) {
      const caller = await callerFor(email);
      const page = await caller.issues.list({ sla: state, sort: "severity", dir: "desc", page: 1 });
      return page.rows.map((r) => r.title).sort();
    }

    it("counts breached and due-soon issues per severity, and the Issues list's filter shows exactly those", async () => {
      const counts = await countSlaStates(handle.db, { companyId: company.company.id });
      expect(counts.breached).toMatchObject({ critical: 1, high: 0, medium: 0, low: 1, notification: 0 });
      expect(counts.dueSoon).toMatchObject({ critical: 1, high: 1, medium: 0, low: 0, notification: 0 });
      expect(await titles("breached")).toEqual(["critical-8d", "low-no-date-200d"]);
      expect(await titles("due_soon")).toEqual(["critical-6d", "high-25d"]);

      // The page's badge (lib/sla.ts) says the same of every issue.
      const rows = await handle.db.select().from(issues).where(eq(issues.companyId, company.company.id));
      const now = new Date();
      const byState = (state: string) => rows.filter((r) => slaStateOf(r, defaultSlaPolicy, now).state === state).map((r) => r.title).sort();
      expect(byState("breached")).toEqual(["critical-8d", "low-no-date-200d"]);
      expect(byState("due_soon")).toEqual(["critical-6d", "high-25d"]);
    });

    it("lets an admin change the SLA (audited) and the counts follow; others are refused", async () => {
      const viewer = await callerFor(company.members.viewer.email);
      const analyst = await callerFor(company.members.analyst.email);
      const admin = await callerFor(company.members.admin.email);
      const policy = { ...defaultSlaPolicy, critical: 9, notification: 2000 };
      for (const caller of [viewer, analyst]) {
        const error = await caller.overview.setSlaPolicy(policy).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe("FORBIDDEN");
      }
      const invalid = await admin.overview.setSlaPolicy({ ...policy, high: 0 }).then(() => null, (e: unknown) => e);
      expect((invalid as TRPCError).code).toBe("BAD_REQUEST");

      await admin.overview.setSlaPolicy(policy);
      const { breached, dueSoon, policy: stored } = await viewer.overview.sla();
      expect(stored).toEqual(policy);
      // Critical at 9 days: the 8-day-old issue is due soon (1 day left ≤ 1.8), no critical is breached.
      expect(breached).toMatchObject({ critical: 0, low: 1, notification: 0 });
      expect(dueSoon).toMatchObject({ critical: 1, high: 1, notification: 0 });
      expect(await titles("due_soon")).toEqual(["critical-8d", "high-25d"]);

      const [audit] = await handle.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.companyId, company.company.id), eq(auditLog.action, "company.sla_changed")));
      expect(audit?.details).toMatchObject({ from: { critical: 7 }, to: { critical: 9, notification: 2000 } });
    });
  });
});
