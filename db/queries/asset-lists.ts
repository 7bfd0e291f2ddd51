// The FQDN and API lists, their filter options, the overview figures and a domain's activity; always scoped
// to a company. Sorts follow the assets indexes (company, type, column, id) so a page reads one index range.
import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { Queryable } from "@/db/client";
import {
  applications,
  assetApplications,
  assets,
  assetTags,
  type BusinessImpact,
  integrations,
  issues,
  type Severity,
  severities,
  statusHistory,
  syncRuns,
  type SyncRunState,
  user,
} from "@/db/schema";
import { type ApiSort, type FqdnSort, type HostSort, PAGE_SIZE, type SortDirection } from "@/lib/list-options";
import { emptySeverityCounts } from "@/server/risk";
import { cappedCount, containsPattern, type Page, pageOffset, prefixSearch } from "./paging";

const direction = (dir: SortDirection) => (dir === "asc" ? asc : desc);
const opposite = (dir: SortDirection): SortDirection => (dir === "asc" ? "desc" : "asc");

/**
 * ORDER BY for a list page, matching an index so it is one forward or backward index range: the risk and
 * open-count indexes store (column DESC, id ASC), so their id tie-break runs against the column.
 */
function orderFor(column: AnyPgColumn, dir: SortDirection, indexedDescending: boolean) {
  if (!indexedDescending) return [direction(dir)(column), direction(dir)(assets.id)];
  // Drizzle's .desc() indexes are DESC NULLS LAST; the ORDER BY must say the same for the index to serve it.
  const columnOrder = dir === "desc" ? sql`${column} desc nulls last` : sql`${column} asc nulls first`;
  return [columnOrder, direction(opposite(dir))(assets.id)];
}

export type FqdnListInput = {
  companyId: string;
  q?: string;
  impact?: BusinessImpact[];
  applicationId?: string;
  tag?: string;
  sort: FqdnSort;
  dir: SortDirection;
  page: number;
};

/**
 * The newest finished sync run of the outer domain row ("assets"), for its state and reason: a domain whose syncs
 * fail shows why instead of just "never". Reads the (company, domain, queued_at desc) index of sync_runs.
 */
function lastFinishedRun(companyId: string, column: "state" | "error_message") {
  return sql`(select r.${sql.raw(column)} from sync_runs r where r.company_id = ${companyId} and r.domain = "assets"."external_ref"
    and r.state in ('succeeded', 'partial', 'failed') order by r.queued_at desc limit 1)`;
}

/** The outer domain row's application names, sorted (the list's and the export's column). */
function applicationNamesSql(companyId: string) {
  return sql<string[]>`(select coalesce(array_agg(app.name order by app.name), '{}')
    from asset_applications link join applications app on app.id = link.application_id
    where link.asset_id = "assets"."id" and link.company_id = ${companyId} and app.company_id = ${companyId})`;
}

/** The outer asset row's tags, sorted. */
function tagsSql(companyId: string) {
  return sql<string[]>`(select coalesce(array_agg(t.tag order by t.tag), '{}') from asset_tags t where t.asset_id = "assets"."id" and t.company_id = ${companyId})`;
}

const fqdnSortColumns = {
  risk: assets.riskScore,
  name: assets.name,
  open: assets.openIssueCount,
  impact: assets.businessImpact,
  synced: assets.lastSyncedAt,
} as const;

/** The FQDN list's filter as a `where` (the list, its count and the CSV export). */
export function fqdnFilterWhere(input: Omit<FqdnListInput, "sort" | "dir" | "page">) {
  const { companyId } = input;
  return and(
    eq(assets.companyId, companyId),
    eq(assets.assetType, "domain"),
    input.q ? sql`${assets.name} ilike ${containsPattern(input.q)}` : undefined,
    input.impact?.length ? inArray(assets.businessImpact, input.impact) : undefined,
    input.applicationId
      ? sql`exists (select 1 from asset_applications link where link.asset_id = "assets"."id"
          and link.company_id = ${companyId} and link.application_id = ${input.applicationId})`
      : undefined,
    input.tag
      ? sql`exists (select 1 from asset_tags t where t.asset_id = "assets"."id" and t.company_id = ${companyId} and t.tag = ${input.tag})`
      : undefined,
  );
}

export async function listFqdns(db: Queryable, input: FqdnListInput) {
  const { companyId } = input;
  const where = fqdnFilterWhere(input);
  const { page, offset } = pageOffset(input.page);
  const [rows, count] = await Promise.all([
    db
      .select({
        id: assets.id,
        name: assets.name,
        riskScore: assets.riskScore,
        worstOpenSeverity: worstOpenSeveritySql(),
        openIssueCount: assets.openIssueCount,
        businessImpact: assets.businessImpact,
        source: assets.source,
        active: assets.active,
        lastSyncedAt: assets.lastSyncedAt,
        // Correlated subqueries name the outer row explicitly: Drizzle leaves columns unqualified on one-table selects.
        lastRunState: sql<SyncRunState | null>`${lastFinishedRun(companyId, "state")}`,
        sourceRemoved: sourceRemovedSql(),
        lastRunMessage: sql<string | null>`${lastFinishedRun(companyId, "error_message")}`,
        applications: applicationNamesSql(companyId),
        tags: tagsSql(companyId),
      })
      .from(assets)
      .where(where)
      .orderBy(...orderFor(fqdnSortColumns[input.sort], input.dir, input.sort === "risk" || input.sort === "open"))
      .limit(PAGE_SIZE)
      .offset(offset),
    cappedCount(db, assets, where),
  ]);
  return { rows, ...count, page, pageSize: PAGE_SIZE } satisfies Page<(typeof rows)[number]>;
}

export type ApiListInput = {
  companyId: string;
  q?: string;
  fqdnIds?: string[];
  methods?: string[];
  riskMin?: number;
  riskMax?: number;
  sort: ApiSort;
  dir: SortDirection;
  page: number;
};

const apiSortColumns = { risk: assets.riskScore, name: assets.name, open: assets.openIssueCount } as const;

/** The APIs list's filter as a `where` (the list, its count and the CSV export). */
export function apiFilterWhere(input: Omit<ApiListInput, "sort" | "dir" | "page">) {
  return and(
    eq(assets.companyId, input.companyId),
    eq(assets.assetType, "api"),
    input.fqdnIds?.length ? inArray(assets.parentId, input.fqdnIds) : undefined,
    input.methods?.length ? inArray(assets.method, input.methods) : undefined,
    input.riskMin !== undefined ? gte(assets.riskScore, input.riskMin) : undefined,
    input.riskMax !== undefined ? lte(assets.riskScore, input.riskMax) : undefined,
    prefixSearch(assets.searchVector, input.q),
  );
}

export async function listApis(db: Queryable, input: ApiListInput) {
  const { companyId } = input;
  const parent = alias(assets, "parent");
  const where = apiFilterWhere(input);
  const { page, offset } = pageOffset(input.page);
  // The page's ids first (one index range, no joins for the skipped rows), then its rows with their parents.
  const pageIds = db
    .select({ id: assets.id })
    .from(assets)
    .where(where)
    .orderBy(...orderFor(apiSortColumns[input.sort], input.dir, input.sort !== "name"))
    .limit(PAGE_SIZE)
    .offset(offset);
  const [ids, count] = await Promise.all([pageIds, cappedCount(db, assets, where)]);
  const rows = ids.length === 0 ? [] : await db
      .select({
        id: assets.id,
        name: assets.name,
        method: assets.method,
        path: assets.path,
        labels: assets.labels,
        riskScore: assets.riskScore,
        worstOpenSeverity: worstOpenSeveritySql(),
        openIssueCount: assets.openIssueCount,
        active: assets.active,
        lastSyncedAt: assets.lastSyncedAt,
        fqdn: { id: parent.id, name: parent.name },
      })
      .from(assets)
      .leftJoin(parent, and(eq(parent.companyId, companyId), eq(parent.id, assets.parentId)))
      .where(and(eq(assets.companyId, companyId), inArray(assets.id, ids.map((r) => r.id))));
  const position = new Map(ids.map((r, i) => [r.id, i]));
  rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return { rows, ...count, page, pageSize: PAGE_SIZE } satisfies Page<(typeof rows)[number]>;
}

/** Domains for the FQDN filter: those matching the search (by name) plus the ones already selected. */
export async function listFqdnOptions(db: Queryable, { companyId, q, ids = [] }: { companyId: string; q?: string; ids?: string[] }) {
  const [matching, selected] = await Promise.all([
    db
      .select({ id: assets.id, name: assets.name })
      .from(assets)
      .where(
        and(
          eq(assets.companyId, companyId),
          eq(assets.assetType, "domain"),
          q ? sql`${assets.name} ilike ${containsPattern(q)}` : undefined,
        ),
      )
      .orderBy(asc(assets.name), asc(assets.id))
      .limit(50),
    ids.length
      ? db
          .select({ id: assets.id, name: assets.name })
          .from(assets)
          // A host's issues are filtered the same way (a host is its own top-level asset), so its chip has a name too.
          .where(and(eq(assets.companyId, companyId), inArray(assets.assetType, ["domain", "host"]), inArray(assets.id, ids)))
      : Promise.resolve([]),
  ]);
  return { matching, selected };
}

/** Whether the integration that imported the asset has been removed: it is no longer kept current. */
function sourceRemovedSql() {
  return sql<boolean>`exists (select 1 from ${integrations} ig where ig.id = "assets"."integration_id" and ig.state = 'removed')`;
}

/** The highest severity among the asset's open issues (from its stored risk inputs), or null. */
function worstOpenSeveritySql() {
  // Severity names are ours (a fixed vocabulary), written into the statement as literals.
  const count = (severity: Severity) => sql.raw(`coalesce(("assets"."risk_inputs" -> 'openBySeverity' ->> '${severity}')::int, 0) > 0`);
  return sql<Severity | null>`case ${sql.join(
    [...severities].reverse().map((severity) => sql`when ${count(severity)} then ${sql.raw(`'${severity}'`)}`),
    sql` `,
  )} end`;
}

/** Applications and tags that FQDNs carry, for the FQDN list's filters. */
export async function listFqdnFacets(db: Queryable, { companyId }: { companyId: string }) {
  const [applicationRows, tagRows] = await Promise.all([
    db
      .select({ id: applications.id, name: applications.name })
      .from(applications)
      // Only applications some asset is in: one whose labels went away (or a changed rule) leaves no filter behind.
      .where(
        and(
          eq(applications.companyId, companyId),
          sql`exists (select 1 from ${assetApplications} link where link.application_id = ${applications.id})`,
        ),
      )
      .orderBy(asc(applications.name)),
    db
      .selectDistinct({ tag: assetTags.tag })
      .from(assets)
      .innerJoin(assetTags, and(eq(assetTags.assetId, assets.id), eq(assetTags.companyId, companyId)))
      .where(and(eq(assets.companyId, companyId), eq(assets.assetType, "domain")))
      .orderBy(asc(assetTags.tag)),
  ]);
  return { applications: applicationRows, tags: tagRows.map((r) => r.tag) };
}

/**
 * The overview charts. A domain's stored risk inputs count every open issue under it, so summing the domains
 * gives the company's open issues by severity without scanning the issues.
 */
export async function getAssetOverview(db: Queryable, { companyId }: { companyId: string }) {
  const domainFilter = and(eq(assets.companyId, companyId), eq(assets.assetType, "domain"));
  const [domains, riskiest] = await Promise.all([
    db.select({ riskInputs: assets.riskInputs }).from(assets).where(domainFilter),
    db
      .select({ id: assets.id, name: assets.name, riskScore: assets.riskScore, openIssueCount: assets.openIssueCount })
      .from(assets)
      .where(domainFilter)
      .orderBy(sql`${assets.riskScore} desc nulls last`, asc(assets.id))
      .limit(5),
  ]);
  const openBySeverity = emptySeverityCounts();
  for (const { riskInputs } of domains) {
    for (const severity of severities) openBySeverity[severity] += riskInputs?.openBySeverity?.[severity] ?? 0;
  }
  return { fqdnCount: domains.length, openBySeverity, riskiest: riskiest.filter((d) => d.riskScore > 0) };
}

/** A domain's recent sync runs and the recent status changes of the issues under it. */
export async function getDomainActivity(db: Queryable, { companyId, domainId }: { companyId: string; domainId: string }) {
  const [domain] = await db
    .select({ name: assets.name })
    .from(assets)
    .where(and(eq(assets.companyId, companyId), eq(assets.id, domainId), eq(assets.assetType, "domain")));
  if (!domain) return null;
  const issueAsset = alias(assets, "issue_asset");
  // The domain's newest changes: each of its issues' newest 20 rows (one short probe of the history's issue index
  // per issue), then the newest 20 of those, and only then their asset and author. Walking the company's history by
  // time instead reads every other domain's rows on the way.
  const perIssue = db
    .select({
      id: statusHistory.id,
      fromStatus: statusHistory.fromStatus,
      toStatus: statusHistory.toStatus,
      origin: statusHistory.origin,
      userId: statusHistory.userId,
      note: statusHistory.note,
      createdAt: statusHistory.createdAt,
    })
    .from(statusHistory)
    .where(and(eq(statusHistory.issueId, issues.id), eq(statusHistory.companyId, companyId)))
    .orderBy(desc(statusHistory.createdAt), desc(statusHistory.id))
    .limit(20)
    .as("per_issue");
  const newest = db
    .select({
      id: perIssue.id,
      issueId: sql<string>`${issues.id}`.as("issue_id"),
      issueTitle: sql<string>`${issues.title}`.as("issue_title"),
      assetId: sql<string>`${issues.assetId}`.as("issue_asset_id"),
      fromStatus: perIssue.fromStatus,
      toStatus: perIssue.toStatus,
      origin: perIssue.origin,
      userId: perIssue.userId,
      note: perIssue.note,
      createdAt: perIssue.createdAt,
    })
    .from(issues)
    .crossJoinLateral(perIssue)
    .where(and(eq(issues.companyId, companyId), eq(issues.domainAssetId, domainId)))
    .orderBy(desc(perIssue.createdAt), desc(perIssue.id))
    .limit(20)
    .as("newest");
  const [runs, statusChanges] = await Promise.all([
    db
      .select({
        id: syncRuns.id,
        trigger: syncRuns.trigger,
        state: syncRuns.state,
        counts: syncRuns.counts,
        errorMessage: syncRuns.errorMessage,
        queuedAt: syncRuns.queuedAt,
        finishedAt: syncRuns.finishedAt,
      })
      .from(syncRuns)
      .where(and(eq(syncRuns.companyId, companyId), eq(syncRuns.domain, domain.name)))
      .orderBy(desc(syncRuns.queuedAt), desc(syncRuns.id))
      .limit(20),
    db
      .select({
        id: newest.id,
        issueId: newest.issueId,
        issueTitle: newest.issueTitle,
        assetName: issueAsset.name,
        fromStatus: newest.fromStatus,
        toStatus: newest.toStatus,
        origin: newest.origin,
        userName: user.name,
        note: newest.note,
        createdAt: newest.createdAt,
      })
      .from(newest)
      .innerJoin(issueAsset, and(eq(issueAsset.companyId, companyId), eq(issueAsset.id, newest.assetId)))
      .leftJoin(user, eq(user.id, newest.userId))
      .orderBy(desc(newest.createdAt), desc(newest.id)),
  ]);
  return { runs, statusChanges };
}

/** An asset with what its page shows beside it: its parent domain (for an API), applications and tags. */
export async function getAssetDetail(db: Queryable, { companyId, id }: { companyId: string; id: string }) {
  const parent = alias(assets, "parent");
  const [row] = await db
    .select({ asset: assets, parent: { id: parent.id, name: parent.name, businessImpact: parent.businessImpact } })
    .from(assets)
    .leftJoin(parent, and(eq(parent.companyId, companyId), eq(parent.id, assets.parentId)))
    .where(and(eq(assets.companyId, companyId), eq(assets.id, id)));
  if (!row) return null;
  const [applicationRows, tagRows] = await Promise.all([
    db
      .select({ id: applications.id, name: applications.name })
      .from(assetApplications)
      .innerJoin(applications, and(eq(applications.companyId, companyId), eq(applications.id, assetApplications.applicationId)))
      .where(and(eq(assetApplications.companyId, companyId), eq(assetApplications.assetId, id)))
      .orderBy(asc(applications.name)),
    db
      .select({ tag: assetTags.tag })
      .from(assetTags)
      .where(and(eq(assetTags.companyId, companyId), eq(assetTags.assetId, id)))
      .orderBy(asc(assetTags.tag)),
  ]);
  const { searchVector: _searchVector, ...asset } = row.asset;
  const [lastRun] =
    asset.assetType === "domain"
      ? await db
          .select({ state: syncRuns.state, message: syncRuns.errorMessage })
          .from(syncRuns)
          .where(
            and(
              eq(syncRuns.companyId, companyId),
              eq(syncRuns.domain, asset.externalRef),
              inArray(syncRuns.state, ["succeeded", "partial", "failed"]),
            ),
          )
          .orderBy(desc(syncRuns.queuedAt))
          .limit(1)
      : [];
  return {
    ...asset,
    parent: row.parent,
    applications: applicationRows,
    tags: tagRows.map((t) => t.tag),
    lastRunState: lastRun?.state ?? null,
    lastRunMessage: lastRun?.message ?? null,
    sourceRemoved: asset.integrationId ? await integrationRemoved(db, companyId, asset.integrationId) : false,
  };
}

/** Whether the company's integration of this id has been removed. */
export async function integrationRemoved(db: Queryable, companyId: string, integrationId: string): Promise<boolean> {
  const [row] = await db
    .select({ state: integrations.state })
    .from(integrations)
    .where(and(eq(integrations.companyId, companyId), eq(integrations.id, integrationId)));
  return row?.state === "removed";
}

export type HostListInput = { companyId: string; q?: string; sort: HostSort; dir: SortDirection; page: number };

const hostSortColumns = { risk: assets.riskScore, name: assets.name, open: assets.openIssueCount } as const;

/**
 * Machines a vulnerability scanner reports: host assets, and FQDN assets the scanner matched by fqdn (listed here
 * too, with their type, since both vendors' findings sit on them).
 */
export async function listHosts(db: Queryable, input: HostListInput) {
  const { companyId } = input;
  const where = and(
    eq(assets.companyId, companyId),
    sql`(${assets.assetType} = 'host' or (${assets.assetType} = 'domain' and ${assets.nodeRef} is not null))`,
    input.q
      ? sql`(${assets.name} ilike ${containsPattern(input.q)} or ${assets.ipv4} ilike ${containsPattern(input.q)} or ${assets.hostname} ilike ${containsPattern(input.q)})`
      : undefined,
  );
  const { page, offset } = pageOffset(input.page);
  const [rows, count] = await Promise.all([
    db
      .select({
        id: assets.id,
        assetType: assets.assetType,
        name: assets.name,
        hostname: assets.hostname,
        ipv4: assets.ipv4,
        operatingSystem: assets.operatingSystem,
        riskScore: assets.riskScore,
        worstOpenSeverity: worstOpenSeveritySql(),
        openIssueCount: assets.openIssueCount,
        source: assets.source,
        lastSyncedAt: assets.lastSyncedAt,
      })
      .from(assets)
      .where(where)
      .orderBy(...orderFor(hostSortColumns[input.sort], input.dir, input.sort === "risk" || input.sort === "open"))
      .limit(PAGE_SIZE)
      .offset(offset),
    cappedCount(db, assets, where),
  ]);
  return { rows, ...count, page, pageSize: PAGE_SIZE } satisfies Page<(typeof rows)[number]>;
}

/**
 * Every asset matching `where`, by name (then id), in batches read by keyset on the (company, type, name, id)
 * index: the whole filtered set for a CSV export at any size, never an offset.
 */
async function* assetsByName<Row extends { name: string; id: string }>(
  read: (after: SQL | undefined, limit: number) => Promise<Row[]>,
  batchSize: number,
): AsyncGenerator<Row[]> {
  let after: SQL | undefined;
  for (;;) {
    const rows = await read(after, batchSize);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = sql`(${assets.name}, ${assets.id}) > (${last.name}, ${last.id}::uuid)`;
  }
}

/** What an exported domain holds: the FQDN list's columns. */
export const fqdnExportColumns = ["id", "name", "risk_score", "open_issues", "business_impact", "applications", "tags", "source", "last_synced_at"] as const;

export function exportFqdns(db: Queryable, input: Omit<FqdnListInput, "sort" | "dir" | "page">, batchSize = 1000) {
  const { companyId } = input;
  const where = fqdnFilterWhere(input);
  return assetsByName(
    (after, limit) =>
      db
        .select({
          id: assets.id,
          name: assets.name,
          riskScore: assets.riskScore,
          openIssueCount: assets.openIssueCount,
          businessImpact: assets.businessImpact,
          source: assets.source,
          lastSyncedAt: assets.lastSyncedAt,
          applications: applicationNamesSql(companyId),
          tags: tagsSql(companyId),
        })
        .from(assets)
        .where(and(where, after))
        .orderBy(asc(assets.name), asc(assets.id))
        .limit(limit),
    batchSize,
  );
}

/** What an exported API endpoint holds: the APIs list's columns. */
export const apiExportColumns = ["id", "method", "path", "fqdn", "risk_score", "open_issues", "labels", "last_synced_at"] as const;

export function exportApis(db: Queryable, input: Omit<ApiListInput, "sort" | "dir" | "page">, batchSize = 1000) {
  const parent = alias(assets, "parent");
  const where = apiFilterWhere(input);
  return assetsByName(
    (after, limit) =>
      db
        .select({
          id: assets.id,
          name: assets.name,
          method: assets.method,
          path: assets.path,
          fqdn: parent.name,
          riskScore: assets.riskScore,
          openIssueCount: assets.openIssueCount,
          labels: assets.labels,
          lastSyncedAt: assets.lastSyncedAt,
        })
        .from(assets)
        .leftJoin(parent, and(eq(parent.companyId, input.companyId), eq(parent.id, assets.parentId)))
        .where(and(where, after))
        .orderBy(asc(assets.name), asc(assets.id))
        .limit(limit),
    batchSize,
  );
}
