// The Overview's figures: SLA policy and the issues breaching it (read from the issues), the weekly trend of new /
// fixed / open issues and the mean time to fix (read from the rollup the status history keeps, migration 0007);
// always scoped to a company.
// Weeks are UTC weeks starting on Monday 00:00 UTC, whatever the database session's or the browser's time zone.
import { and, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "@/db/client";
import { companies, issueOpenCounts, issues, issueWeekRollup, openIssueStatuses, type Severity, severities } from "@/db/schema";
import { DUE_SOON_FRACTION, DUE_SOON_MAX_DAYS, defaultSlaPolicy, resolveSlaPolicy, type SlaFilter, type SlaPolicy } from "@/lib/sla";
import { emptySeverityCounts } from "@/server/risk";

export const TREND_WEEKS = 12;
const WEEK_MS = 7 * 86_400_000;

export async function getSlaPolicy(db: Queryable, { companyId }: { companyId: string }): Promise<SlaPolicy> {
  const [row] = await db.select({ slaDays: companies.slaDays }).from(companies).where(eq(companies.id, companyId));
  return resolveSlaPolicy(row?.slaDays);
}

export async function saveSlaPolicy(db: Queryable, { companyId, policy }: { companyId: string; policy: SlaPolicy }) {
  await db.update(companies).set({ slaDays: policy }).where(eq(companies.id, companyId));
}

/** The company's SLA days for a severity, read in SQL (a stored null is "no SLA"; a missing key the default). */
function slaDaysSql(companyId: string, severity: Severity): SQL {
  const fallback = defaultSlaPolicy[severity];
  return sql`(select case when c.sla_days ? ${severity}::text then (c.sla_days ->> ${severity}::text)::int else ${fallback}::int end
              from ${companies} c where c.id = ${companyId}::uuid)`;
}

/** The moment an open issue of `severity` breaches its SLA if its clock started before it (null: no SLA). */
function breachCutoff(companyId: string, severity: Severity): SQL {
  return sql`(now() - ${slaDaysSql(companyId, severity)} * interval '1 day')`;
}

/** The moment an open issue of `severity` is due soon if its clock started before it (exclusive bound). */
function dueSoonCutoff(companyId: string, severity: Severity): SQL {
  const days = slaDaysSql(companyId, severity);
  return sql`(now() - (${days} - least(${days} * ${DUE_SOON_FRACTION}::numeric, ${DUE_SOON_MAX_DAYS}::numeric)) * interval '1 day' + interval '1 microsecond')`;
}

/**
 * The SLA clock start (detected_at, or created_at when the source gave none) in [from, until), as two conditions
 * that are each one range of an index on (…, severity, detected_at): an OR inside one arm is not.
 */
function clockStartIn(from: SQL | undefined, until: SQL): [SQL, SQL] {
  const range = (column: typeof issues.detectedAt | typeof issues.createdAt) =>
    from ? sql`${column} >= ${from} and ${column} < ${until}` : sql`${column} < ${until}`;
  return [range(issues.detectedAt), sql`${issues.detectedAt} is null and ${range(issues.createdAt)}`];
}

/** Per severity, the conditions (each an index range) whose union is "open and in this SLA state". */
function slaArms(companyId: string, state: SlaFilter): { severity: Severity; arms: SQL[] }[] {
  return severities.map((severity) => {
    const breach = breachCutoff(companyId, severity);
    const clock = state === "breached" ? clockStartIn(undefined, breach) : clockStartIn(breach, dueSoonCutoff(companyId, severity));
    return { severity, arms: clock.map((range) => sql`(${issues.severity} = ${severity} and ${range})`) };
  });
}

/**
 * Open issues whose SLA is breached (past the deadline) or due soon (lib/sla.ts's rule) at the database's now():
 * the Issues list's `sla` filter and the Overview's counts, so the two always agree. Severities without an SLA
 * never match.
 */
export function slaWhere(companyId: string, state: SlaFilter): SQL {
  const open = inArray(issues.status, [...openIssueStatuses]);
  const arms = slaArms(companyId, state).flatMap((s) => s.arms);
  if (state === "breached") {
    // Most old open issues are breached: a list walking its sort order finds a page of them at once.
    return sql`(${open} and (${sql.join(arms, sql` or `)}))`;
  }
  // Due soon is a thin slice: its ids gathered from one index range per arm, so a list need not filter every
  // open issue in its sort order to find a page of them.
  const ranges = arms.map((arm) => sql`select ${issues.id} from ${issues} where ${issues.companyId} = ${companyId} and ${open} and ${arm}`);
  return sql`${issues.id} in (${sql.join(ranges, sql` union all `)})`;
}

/**
 * Open issues whose SLA deadline (clock start + the severity's days) fell in (since, until]: what the SLA-breach
 * notification announces once. Severities without an SLA never appear.
 */
export async function slaDeadlinesPassedBetween(db: Queryable, { companyId, since, until }: { companyId: string; since: Date; until: Date }) {
  const deadline = (severity: Severity) =>
    sql`coalesce(${issues.detectedAt}, ${issues.createdAt}) + ${slaDaysSql(companyId, severity)} * interval '1 day'`;
  const window = severities.map(
    (severity) =>
      sql`(${issues.severity} = ${severity} and ${deadline(severity)} > ${since.toISOString()}::timestamptz and ${deadline(severity)} <= ${until.toISOString()}::timestamptz)`,
  );
  return db
    .select({ id: issues.id, title: issues.title, severity: issues.severity })
    .from(issues)
    .where(and(eq(issues.companyId, companyId), inArray(issues.status, [...openIssueStatuses]), sql`(${sql.join(window, sql` or `)})`))
    .limit(500);
}

/**
 * Breached and due-soon open issues per severity: each (state, severity, clock column) counted as its own scalar
 * subquery, so each is one index-only range of issues_company_status_idx instead of a filter over every open issue.
 */
export async function countSlaStates(db: Queryable, { companyId }: { companyId: string }) {
  const open = and(eq(issues.companyId, companyId), inArray(issues.status, [...openIssueStatuses]));
  const counted = (["breached", "due_soon"] as const).flatMap((state) =>
    slaArms(companyId, state).map(({ severity, arms }) => ({
      state,
      severity,
      sql: sql.join(
        arms.map((arm) => sql`(select count(*) from ${issues} where ${open} and ${arm})`),
        sql` + `,
      ),
    })),
  );
  const [row] = rowsOf<Record<string, number | string>>(
    await db.execute(sql`select ${sql.join(counted.map((c, i) => sql`(${c.sql})::int as ${sql.raw(`n${i}`)}`), sql`, `)}`),
  );
  const result = { breached: emptySeverityCounts(), dueSoon: emptySeverityCounts() };
  counted.forEach((c, i) => {
    result[c.state === "breached" ? "breached" : "dueSoon"][c.severity] = Number(row?.[`n${i}`] ?? 0);
  });
  return result;
}

/** Monday 00:00 UTC of the week holding `at`. */
export function utcWeekStart(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}

export type TrendWeek = {
  /** Monday 00:00 UTC. */
  weekStart: Date;
  /** Issues first recorded in this week in an open status. */
  new: number;
  /** Issues that moved to Fixed during the week (each issue once a week, however often it was fixed). */
  fixed: number;
  /** Issues open at the end of the week (for the current week: now). */
  open: number;
};

const openList = sql.raw(openIssueStatuses.map((s) => `'${s}'`).join(", "));

/** The first week of the window of `weeks` UTC weeks ending with the one holding `now`. */
function windowStart(now: Date, weeks: number): Date {
  return new Date(utcWeekStart(now).getTime() - (weeks - 1) * WEEK_MS);
}

/**
 * New, fixed and open issues per UTC week, the last `weeks` weeks up to the one holding `now`, read from the
 * rollup (db/schema/issues.ts gives its rules): one row per week and severity, and the open count now. "Open at
 * the end of week W" is the open count now less every week's open delta after W.
 */
export async function weeklyTrend(db: Queryable, { companyId, now = new Date(), weeks = TREND_WEEKS }: { companyId: string; now?: Date; weeks?: number }) {
  const start = windowStart(now, weeks);
  const [openNow, weekRows] = await Promise.all([
    db.select({ n: sql<number>`coalesce(sum(${issueOpenCounts.openCount}), 0)::int` }).from(issueOpenCounts).where(eq(issueOpenCounts.companyId, companyId)),
    db
      .select({
        weekStart: issueWeekRollup.weekStart,
        new: sql<number>`sum(${issueWeekRollup.newCount})::int`,
        fixed: sql<number>`sum(${issueWeekRollup.fixedCount})::int`,
        delta: sql<number>`sum(${issueWeekRollup.openDelta})::int`,
      })
      .from(issueWeekRollup)
      // Every week from the window's start, the weeks after `now`'s too: they move the open count back to `now`.
      .where(and(eq(issueWeekRollup.companyId, companyId), gte(issueWeekRollup.weekStart, start)))
      .groupBy(issueWeekRollup.weekStart),
  ]);
  const byWeek = new Map(weekRows.map((r) => [Math.round((r.weekStart.getTime() - start.getTime()) / WEEK_MS), r]));
  let open = Number(openNow[0]?.n ?? 0);
  for (const [week, row] of byWeek) if (week >= weeks) open -= Number(row.delta);
  const result: TrendWeek[] = [];
  for (let week = weeks - 1; week >= 0; week--) {
    const row = byWeek.get(week);
    result.unshift({ weekStart: new Date(start.getTime() + week * WEEK_MS), new: Number(row?.new ?? 0), fixed: Number(row?.fixed ?? 0), open });
    open -= Number(row?.delta ?? 0);
  }
  return result;
}

/**
 * Mean time to fix per severity (at fix time) over the fixes of the last `weeks` UTC weeks, from the rollup: each
 * fix measured from when the issue was first recorded, or last reopened after an earlier fix. An issue fixed twice
 * counts twice.
 */
export async function meanTimeToFix(db: Queryable, { companyId, now = new Date(), weeks = TREND_WEEKS }: { companyId: string; now?: Date; weeks?: number }) {
  const start = windowStart(now, weeks);
  const rows = await db
    .select({
      severity: issueWeekRollup.severity,
      fixes: sql<number>`sum(${issueWeekRollup.fixCount})::int`,
      seconds: sql<number>`sum(${issueWeekRollup.fixSeconds})::float8`,
    })
    .from(issueWeekRollup)
    .where(and(eq(issueWeekRollup.companyId, companyId), gte(issueWeekRollup.weekStart, start), lte(issueWeekRollup.weekStart, utcWeekStart(now))))
    .groupBy(issueWeekRollup.severity);
  const result = Object.fromEntries(severities.map((s) => [s, { fixes: 0, meanDays: null as number | null }])) as Record<Severity, { fixes: number; meanDays: number | null }>;
  for (const row of rows) {
    const fixes = Number(row.fixes);
    if (fixes > 0) result[row.severity] = { fixes, meanDays: Number(row.seconds) / fixes / 86_400 };
  }
  return result;
}

/**
 * The weekly trend recomputed from the status history itself — what the rollup must equal (tests, and the
 * bench's before/after), not what the page reads. "Open at the end of week W" is exact: the issues open now, minus every change into an open status after W, plus every change out of
 * one — read from the history rows of the window alone (one index range), never replaying an issue's whole life.
 */
export async function weeklyTrendFromHistory(db: Queryable, { companyId, now = new Date(), weeks = TREND_WEEKS }: { companyId: string; now?: Date; weeks?: number }) {
  const start = new Date(utcWeekStart(now).getTime() - (weeks - 1) * WEEK_MS);
  const [openNowRows, weekRows] = await Promise.all([
    db.select({ n: sql<number>`count(*)::int` }).from(issues).where(and(eq(issues.companyId, companyId), inArray(issues.status, [...openIssueStatuses]))),
    // One index-only range of the history per week, aggregated as it is read: no per-row week arithmetic, and
    // only a week's fixes sorted for the distinct count. Bounds are computed here, so no session time zone moves them.
    db.execute(sql`
      select w.week, agg.new, agg.fixed, agg.delta
      from (values ${sql.join(
        Array.from({ length: weeks }, (_, week) => {
          const from = new Date(start.getTime() + week * WEEK_MS);
          return sql`(${week}::int, ${from.toISOString()}::timestamptz, ${new Date(from.getTime() + WEEK_MS).toISOString()}::timestamptz)`;
        }),
        sql`, `,
      )}) as w(week, week_from, week_until)
      cross join lateral (
        select (count(*) filter (where from_status is null and to_status in (${openList})))::int as new,
               (count(distinct issue_id) filter (where to_status = 'fixed' and from_status is not null and from_status <> 'fixed'))::int as fixed,
               (coalesce(sum((case when to_status in (${openList}) then 1 else 0 end)
                           - (case when from_status in (${openList}) then 1 else 0 end)), 0))::int as delta
        from status_history
        where company_id = ${companyId}::uuid and created_at >= w.week_from and created_at < w.week_until
          and created_at <= ${now.toISOString()}::timestamptz
      ) agg`),
  ]);
  const byWeek = new Map(rowsOf<{ week: number; new: number; fixed: number; delta: number }>(weekRows).map((r) => [Number(r.week), r]));
  const result: TrendWeek[] = [];
  let open = Number(openNowRows[0]?.n ?? 0);
  // Walk back from the current week: the open count at the end of week W is the one at the end of W+1 less W+1's changes.
  for (let week = weeks - 1; week >= 0; week--) {
    const row = byWeek.get(week);
    result.unshift({ weekStart: new Date(start.getTime() + week * WEEK_MS), new: Number(row?.new ?? 0), fixed: Number(row?.fixed ?? 0), open });
    open -= Number(row?.delta ?? 0);
  }
  return result;
}

/**
 * Mean time to fix recomputed from the status history (the issue's current severity) — what the rollup must equal.
 * Each fix measured from when the issue
 * was first recorded, or last reopened after an earlier fix, to the fix. An issue fixed twice counts twice.
 * (A fix row never matches the "began" condition itself, so the fixes come from the company/time index alone.)
 */
export async function meanTimeToFixFromHistory(db: Queryable, { companyId, now = new Date(), weeks = TREND_WEEKS }: { companyId: string; now?: Date; weeks?: number }) {
  const start = new Date(utcWeekStart(now).getTime() - (weeks - 1) * WEEK_MS);
  const rows = rowsOf<{ severity: Severity; fixes: number; mean_seconds: number | string | null }>(
    await db.execute(sql`
      select i.severity, count(*)::int as fixes, avg(extract(epoch from (f.created_at - coalesce(began.at, i.created_at))))::float8 as mean_seconds
      from status_history f
      join issues i on i.id = f.issue_id and i.company_id = ${companyId}::uuid
      cross join lateral (
        select max(s.created_at) as at from status_history s
        where s.issue_id = f.issue_id and s.created_at <= f.created_at
          and (s.from_status is null or (s.from_status = 'fixed' and s.to_status <> 'fixed'))
      ) began
      where f.company_id = ${companyId}::uuid and f.created_at >= ${start.toISOString()}::timestamptz and f.created_at <= ${now.toISOString()}::timestamptz
        and f.to_status = 'fixed' and f.from_status is not null and f.from_status <> 'fixed'
      group by i.severity`),
  );
  const result = Object.fromEntries(severities.map((s) => [s, { fixes: 0, meanDays: null as number | null }])) as Record<Severity, { fixes: number; meanDays: number | null }>;
  for (const row of rows) {
    result[row.severity] = { fixes: Number(row.fixes), meanDays: row.mean_seconds == null ? null : Number(row.mean_seconds) / 86_400 };
  }
  return result;
}
