// Issue reads, the Issues list, and a user's status change; always scoped to a company.
import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "@/db/client";
import {
  assets,
  type ForwardFilterState,
  forwardLinks,
  forwardOutbox,
  type IntegrationKind,
  issues,
  type IssueState,
  issueStateStatuses,
  type IssueStatus,
  isOpenStatus,
  type Severity,
  statusHistory,
  statusWriteBacks,
  user,
  type WriteBackState,
} from "@/db/schema";
import { type IssueSort, PAGE_SIZE, type SortDirection } from "@/lib/list-options";
import { computeRisk, emptySeverityCounts } from "@/server/risk";
import type { SlaFilter } from "@/lib/sla";
import { integrationRemoved } from "./asset-lists";
import { slaWhere } from "./overview";
import { cappedCount, type Page, pageOffset, prefixSearch } from "./paging";

export async function getIssueById(db: Queryable, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(issues)
    .where(and(eq(issues.companyId, companyId), eq(issues.id, id)));
  return row ?? null;
}

/** The issue with the asset it sits on and that asset's domain, for the issue page. */
export async function getIssueDetail(db: Queryable, { companyId, id }: { companyId: string; id: string }) {
  const asset = alias(assets, "asset");
  const domain = alias(assets, "domain");
  const statusChanger = alias(user, "status_changer");
  const owner = alias(user, "owner");
  const [row] = await db
    .select({
      issue: issues,
      owner: { id: owner.id, name: owner.name, email: owner.email },
      asset: { id: asset.id, name: asset.name, assetType: asset.assetType, method: asset.method, path: asset.path },
      domain: { id: domain.id, name: domain.name, assetType: domain.assetType, businessImpact: domain.businessImpact, riskScore: domain.riskScore, riskInputs: domain.riskInputs },
      statusChangedByName: statusChanger.name,
    })
    .from(issues)
    .innerJoin(asset, and(eq(asset.companyId, companyId), eq(asset.id, issues.assetId)))
    .leftJoin(domain, and(eq(domain.companyId, companyId), eq(domain.id, issues.domainAssetId)))
    .leftJoin(statusChanger, eq(statusChanger.id, issues.statusChangedBy))
    .leftJoin(owner, eq(owner.id, issues.ownerUserId))
    .where(and(eq(issues.companyId, companyId), eq(issues.id, id)));
  if (!row) return null;
  const { searchVector: _searchVector, ...issue } = row.issue;
  // An issue whose integration was removed is no longer kept current (nor written back).
  const sourceRemoved = issue.integrationId ? await integrationRemoved(db, companyId, issue.integrationId) : false;
  return { ...issue, owner: row.owner, asset: row.asset, domain: row.domain, statusChangedByName: row.statusChangedByName, sourceRemoved };
}

/**
 * Which issues a list shows, counts, bulk-changes and exports. Each field narrows; the values of one field are
 * alternatives (severity Critical or High). Owners are member ids, `unassigned` adds issues nobody owns.
 */
export type IssueFilter = {
  companyId: string;
  q?: string;
  /** Open (Identified, In Progress), closed (the rest) or all; the list's own default, open, is set by its URL. */
  state?: IssueState;
  severities?: Severity[];
  statuses?: IssueStatus[];
  categories?: string[];
  /** "manual" selects issues no integration imported. */
  sources?: (IntegrationKind | "manual")[];
  assetId?: string;
  fqdnIds?: string[];
  /** The state of the issue's most recent write-back to its source. */
  writeBack?: WriteBackState[];
  /** Where the issue's forwarded record (Snapsec VM) stands. */
  forwarding?: ForwardFilterState[];
  ownerUserIds?: string[];
  unassigned?: boolean;
  /** Open issues past their SLA, or due soon (the company's SLA policy, lib/sla.ts). */
  sla?: SlaFilter;
};
export type IssueListInput = IssueFilter & { sort: IssueSort; dir: SortDirection; page: number };

/** Issues whose most recent write-back is in one of `states` (driven from the outbox, which is far smaller than issues). */
function latestWriteBackIn(companyId: string, states: WriteBackState[]) {
  return sql`${issues.id} in (
    select latest.issue_id from (
      select distinct on (issue_id) issue_id, state from ${statusWriteBacks}
      where company_id = ${companyId} order by issue_id, created_at desc, id desc
    ) latest where latest.state in ${states})`;
}

/**
 * One forwarding state as a condition on the issue. Driven from the links and the outbox (far smaller than issues,
 * read by their (company, state) index) as `id in (…)` sets the planner hashes once, never a probe per issue.
 */
function forwardStateIs(companyId: string, state: ForwardFilterState) {
  const linked = (condition?: SQL) =>
    sql`${issues.id} in (select l.issue_id from ${forwardLinks} l where l.company_id = ${companyId}${condition ? sql` and ${condition}` : sql``})`;
  const waiting = sql`${issues.id} in (select o.issue_id from ${forwardOutbox} o where o.company_id = ${companyId})`;
  switch (state) {
    case "not_forwarded":
      return sql`not ${linked()} and not ${waiting}`;
    case "pending":
      return sql`(${waiting} or ${linked(sql`l.state = 'pending'`)})`;
    default:
      return linked(sql`l.state = ${state}`);
  }
}

function anyOf(conditions: (SQL | undefined)[]) {
  return conditions.length ? or(...conditions) : undefined;
}

/** The Issues lists' filter as a `where`: the one builder behind the list, its count, bulk changes and the CSV export. */
export function issueFilterWhere(input: IssueFilter) {
  const { companyId } = input;
  const sources = input.sources ?? [];
  const kinds = sources.filter((s): s is IntegrationKind => s !== "manual");
  const owners = input.ownerUserIds ?? [];
  return and(
    eq(issues.companyId, companyId),
    input.state && input.state !== "all" ? inArray(issues.status, [...issueStateStatuses[input.state]]) : undefined,
    input.severities?.length ? inArray(issues.severity, input.severities) : undefined,
    input.statuses?.length ? inArray(issues.status, input.statuses) : undefined,
    input.categories?.length ? inArray(issues.category, input.categories) : undefined,
    sources.length
      ? anyOf([kinds.length ? inArray(issues.source, kinds) : undefined, sources.includes("manual") ? isNull(issues.source) : undefined])
      : undefined,
    input.assetId ? eq(issues.assetId, input.assetId) : undefined,
    input.fqdnIds?.length ? inArray(issues.domainAssetId, input.fqdnIds) : undefined,
    input.writeBack?.length ? latestWriteBackIn(companyId, input.writeBack) : undefined,
    input.forwarding?.length ? anyOf(input.forwarding.map((state) => forwardStateIs(companyId, state))) : undefined,
    owners.length || input.unassigned
      ? anyOf([owners.length ? inArray(issues.ownerUserId, owners) : undefined, input.unassigned ? isNull(issues.ownerUserId) : undefined])
      : undefined,
    input.sla ? slaWhere(companyId, input.sla) : undefined,
    prefixSearch(issues.searchVector, input.q),
  );
}

/** How many issues match the filter, uncapped: the number a bulk change over "all matching" will touch. */
export async function countMatchingIssues(db: Queryable, input: IssueFilter) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(issues).where(issueFilterWhere(input));
  return Number(row?.n ?? 0);
}

export async function listIssues(db: Queryable, input: IssueListInput) {
  const { companyId } = input;
  const where = issueFilterWhere(input);
  const order = input.dir === "asc" ? asc : desc;
  const orderBy =
    input.sort === "severity"
      ? [order(issues.severity), order(issues.detectedAt), order(issues.id)]
      : input.sort === "detected"
        ? // "Age": ascending age is newest first, so the date runs the other way.
          [(input.dir === "asc" ? desc : asc)(issues.detectedAt), (input.dir === "asc" ? desc : asc)(issues.id)]
        : [order(issues.lastActivityAt), order(issues.id)];
  const asset = alias(assets, "asset");
  const domain = alias(assets, "domain");
  const { page, offset } = pageOffset(input.page);
  // The page's ids first (one index range, no joins for the skipped rows), then its rows with asset and domain.
  const [ids, count] = await Promise.all([
    db.select({ id: issues.id }).from(issues).where(where).orderBy(...orderBy).limit(PAGE_SIZE).offset(offset),
    cappedCount(db, issues, where),
  ]);
  const rows = ids.length === 0 ? [] : await db
      .select({
        id: issues.id,
        title: issues.title,
        severity: issues.severity,
        status: issues.status,
        category: issues.category,
        cwe: issues.cwe,
        source: issues.source,
        detectedAt: issues.detectedAt,
        createdAt: issues.createdAt,
        lastActivityAt: issues.lastActivityAt,
        ownerUserId: issues.ownerUserId,
        asset: { id: asset.id, name: asset.name, assetType: asset.assetType },
        domain: { id: domain.id, name: domain.name },
      })
      .from(issues)
      .innerJoin(asset, and(eq(asset.companyId, companyId), eq(asset.id, issues.assetId)))
      .leftJoin(domain, and(eq(domain.companyId, companyId), eq(domain.id, issues.domainAssetId)))
      .where(and(eq(issues.companyId, companyId), inArray(issues.id, ids.map((r) => r.id))));
  const position = new Map(ids.map((r, i) => [r.id, i]));
  rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return { rows, ...count, page, pageSize: PAGE_SIZE } satisfies Page<(typeof rows)[number]>;
}

/** Distinct issue categories, for the filter: a loose index scan, one index probe per category. */
export async function listIssueCategories(db: Queryable, { companyId }: { companyId: string }): Promise<string[]> {
  const result = await db.execute<{ category: string }>(sql`
    with recursive found(category) as (
      (select category from ${issues} where company_id = ${companyId} and category is not null order by category limit 1)
      union all
      select (select i.category from ${issues} i where i.company_id = ${companyId} and i.category > found.category
              order by i.category limit 1)
      from found where found.category is not null
    )
    select category from found where category is not null`);
  const rows = rowsOf<{ category: string }>(result);
  return rows.map((r) => r.category);
}

export async function listStatusHistory(db: Queryable, { companyId, issueId }: { companyId: string; issueId: string }) {
  return db
    .select({
      id: statusHistory.id,
      fromStatus: statusHistory.fromStatus,
      toStatus: statusHistory.toStatus,
      origin: statusHistory.origin,
      userId: statusHistory.userId,
      // Name and email together: a stable identity (two people may share a name; the email is unique).
      userName: sql<string | null>`case when ${user.id} is null then null else ${user.name} || ' (' || ${user.email} || ')' end`,
      userEmail: user.email,
      note: statusHistory.note,
      riskAcceptedUntil: statusHistory.riskAcceptedUntil,
      createdAt: statusHistory.createdAt,
    })
    .from(statusHistory)
    .leftJoin(user, eq(user.id, statusHistory.userId))
    .where(and(eq(statusHistory.companyId, companyId), eq(statusHistory.issueId, issueId)))
    .orderBy(desc(statusHistory.createdAt), desc(statusHistory.id));
}

/**
 * A user's status change: the issue's status and its bookkeeping (when, origin "user", by whom), a history row,
 * and — when the issue moves between open and closed — the open counts and risk scores of its asset and domain.
 * Run it inside a transaction. Returns null when the issue is not the company's, and `change: null` when the
 * status is already the requested one (nothing is written).
 */
export async function setIssueStatus(
  tx: Queryable,
  {
    companyId,
    id,
    status,
    userId,
    note,
    riskAcceptedUntil,
  }: { companyId: string; id: string; status: IssueStatus; userId: string; note?: string; riskAcceptedUntil?: Date },
) {
  const [current] = await tx
    .select()
    .from(issues)
    .where(and(eq(issues.companyId, companyId), eq(issues.id, id)))
    .for("update");
  if (!current) return null;
  const until = status === "risk_accepted" ? (riskAcceptedUntil ?? null) : null;
  // The same status is no change — except a risk acceptance given a new end date (an extension is a decision too).
  if (current.status === status && (status !== "risk_accepted" || current.riskAcceptedUntil?.getTime() === until?.getTime())) {
    return { issue: current, change: null };
  }

  const now = new Date();
  const [updated] = await tx
    .update(issues)
    .set({ status, statusChangedAt: now, statusOrigin: "user", statusChangedBy: userId, closedReason: null, riskAcceptedUntil: until, updatedAt: now })
    .where(and(eq(issues.companyId, companyId), eq(issues.id, id)))
    .returning();
  const [history] = await tx
    .insert(statusHistory)
    .values({ companyId, issueId: id, fromStatus: current.status, toStatus: status, origin: "user", userId, note: note || null, riskAcceptedUntil: until, createdAt: now })
    .returning({ id: statusHistory.id });
  if (!updated || !history) throw new Error("issue status update returned nothing");

  const delta = Number(isOpenStatus(status)) - Number(isOpenStatus(current.status));
  if (delta !== 0) {
    const assetIds = [current.assetId, ...(current.domainAssetId && current.domainAssetId !== current.assetId ? [current.domainAssetId] : [])];
    await adjustOpenIssueFigures(tx, { companyId, assetIds, severity: current.severity, delta });
  }
  return {
    issue: updated,
    change: { companyId, issueId: id, statusHistoryId: history.id, fromStatus: current.status, toStatus: status, userId },
  };
}

/** Moves one open issue of `severity` in (+1) or out (−1) of the assets' figures and re-scores them. */
export async function adjustOpenIssueFigures(
  tx: Queryable,
  { companyId, assetIds, severity, delta }: { companyId: string; assetIds: string[]; severity: Severity; delta: number },
) {
  const family = await tx
    .select({ id: assets.id, businessImpact: assets.businessImpact, riskInputs: assets.riskInputs, openIssueCount: assets.openIssueCount })
    .from(assets)
    .where(and(eq(assets.companyId, companyId), inArray(assets.id, assetIds)))
    .for("update");
  for (const asset of family) {
    const counts = { ...emptySeverityCounts(), ...asset.riskInputs?.openBySeverity };
    counts[severity] = Math.max(0, counts[severity] + delta);
    // An API asset is scored with its domain's business impact, which its stored inputs carry.
    const { score, inputs } = computeRisk(counts, asset.riskInputs?.businessImpact ?? asset.businessImpact);
    await tx
      .update(assets)
      .set({ riskScore: score, riskInputs: inputs, openIssueCount: Math.max(0, asset.openIssueCount + delta), updatedAt: new Date() })
      .where(and(eq(assets.companyId, companyId), eq(assets.id, asset.id)));
  }
}

/** What an exported issue holds: the list's columns plus what an audit asks for. */
export const issueExportColumns = [
  "id", "title", "severity", "status", "category", "cwe", "source", "asset", "domain", "owner", "detected_at", "last_activity_at",
] as const;

/**
 * Every issue matching the filter, newest first (as Postura first saw them), in batches read by keyset
 * (created_at, id): the whole filtered set at any size, one index range per batch, never an offset.
 */
export async function* exportIssues(db: Queryable, input: IssueFilter, batchSize = 1000) {
  const { companyId } = input;
  const where = issueFilterWhere(input);
  const asset = alias(assets, "asset");
  const domain = alias(assets, "domain");
  const owner = alias(user, "owner");
  // The keyset's time as PostgreSQL's own text: a JS Date keeps milliseconds, created_at has microseconds, and a
  // batch inserted by one statement shares one created_at — rounding it would skip or repeat rows.
  let after: { createdAt: string; id: string } | null = null;
  for (;;) {
    const rows = await db
      .select({
        id: issues.id,
        title: issues.title,
        severity: issues.severity,
        status: issues.status,
        category: issues.category,
        cwe: issues.cwe,
        source: issues.source,
        asset: asset.name,
        domain: domain.name,
        owner: owner.email,
        detectedAt: issues.detectedAt,
        lastActivityAt: issues.lastActivityAt,
        createdAtKey: sql<string>`${issues.createdAt}::text`,
      })
      .from(issues)
      .innerJoin(asset, and(eq(asset.companyId, companyId), eq(asset.id, issues.assetId)))
      .leftJoin(domain, and(eq(domain.companyId, companyId), eq(domain.id, issues.domainAssetId)))
      .leftJoin(owner, eq(owner.id, issues.ownerUserId))
      .where(and(where, after ? sql`(${issues.createdAt}, ${issues.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : undefined))
      .orderBy(desc(issues.createdAt), desc(issues.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows;
    const last: { createdAtKey: string; id: string } = rows[rows.length - 1]!;
    after = { createdAt: String(last.createdAtKey), id: String(last.id) };
    if (rows.length < batchSize) return;
  }
}
