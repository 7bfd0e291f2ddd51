// The ingest core's statements: each page of a source's records goes to PostgreSQL (or PGlite) as ONE JSON
// parameter and is applied by one set-based statement — no per-row parameters, no per-row locks, one round trip.
// Every write is conditional (`is distinct from`), so unchanged records write nothing.
//
// The conflict rule without row locks: a finding updates its issue through `update … from`, whose SET and WHERE
// read the issue's columns. Under READ COMMITTED, when a person's status change commits while the statement waits
// for that row, PostgreSQL re-evaluates SET and WHERE on the person's version of the row (EvalPlanQual), so the
// rule "a person's change stands against source activity that is not newer" is judged on the latest status,
// origin and status_changed_at — the predicate, not a lock taken in advance, is what keeps the person's change.
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { type IntegrationKind, type IssueStatus, issueStatusLabels, type SeverityFilter, type StatusOrigin, type SyncCounts } from "@/db/schema";
import { forwardingCte } from "@/server/forwarding/outbox";
import { emptySyncCounts } from "./runs";
import { primaryCategory } from "./sanitise";
import { rowsOf } from "./sql";
import type { SourceEndpoint, SourceFinding } from "./types";

/** What every statement of one run needs to know. */
export type IngestScope = {
  companyId: string;
  integrationId: string;
  kind: IntegrationKind;
  domainAssetId: string;
  origin: StatusOrigin;
  severityFilter: SeverityFilter;
  /** The reason an issue is closed when its finding disappears ("no longer reported by …"). */
  closedReason: string;
  reopenNote: string;
  sourceName: string;
};

/** Statuses a person sets as a decision; no sync reverts them (README: conflict rule). */
export const USER_DECISIONS = ["risk_accepted", "false_positive"] as const satisfies readonly IssueStatus[];
const decisions = sql.raw(`('${USER_DECISIONS.join("', '")}')`);
const decisionLabel = sql.raw(`(case t.cur_status ${USER_DECISIONS.map((s) => `when '${s}' then '${issueStatusLabels[s]}'`).join(" ")} end)`);

function json(rows: unknown[]): SQL {
  return sql`${JSON.stringify(rows)}::jsonb`;
}

// ---- API assets ------------------------------------------------------------------------------------------------

/**
 * Upserts a page of endpoints as API assets under the domain and mirrors their labels as tags, in one statement.
 * A row is written only when a value differs; tags change only for assets whose labels did.
 */
export async function ingestEndpoints(db: Queryable, scope: IngestScope, endpoints: SourceEndpoint[]): Promise<SyncCounts> {
  const counts = emptySyncCounts();
  if (endpoints.length === 0) return counts;
  const page = endpoints.map((e) => ({ ref: e.ref, name: e.name, method: e.method, path: e.path, labels: e.labels }));
  const [row] = rowsOf<{ created: number; updated: number }>(
    await db.execute(sql`
      with x as (
        select * from jsonb_to_recordset(${json(page)}) as x(ref text, name text, method text, path text, labels text[])
      ),
      up as (
        insert into assets as a (company_id, asset_type, name, parent_id, source, integration_id, external_ref, method, path, labels, active, last_synced_at)
        select ${scope.companyId}::uuid, 'api', x.name, ${scope.domainAssetId}::uuid, ${scope.kind}::integration_kind,
               ${scope.integrationId}::uuid, x.ref, x.method, x.path, x.labels, true, now()
        from x
        on conflict (company_id, asset_type, external_ref) do update set
          name = excluded.name, parent_id = excluded.parent_id, source = excluded.source, integration_id = excluded.integration_id,
          method = excluded.method, path = excluded.path, labels = excluded.labels, active = true,
          last_synced_at = excluded.last_synced_at, updated_at = now()
        where (a.name, a.parent_id, a.source, a.integration_id, a.method, a.path, a.labels, a.active)
          is distinct from (excluded.name, excluded.parent_id, excluded.source, excluded.integration_id, excluded.method, excluded.path, excluded.labels, true)
        returning a.id, a.labels, (xmax = 0) as inserted
      ),
      ${tagStatements(scope.companyId)}
      select count(*) filter (where inserted)::int as created, count(*) filter (where not inserted)::int as updated from up`),
  );
  counts.assetsCreated = Number(row?.created ?? 0);
  counts.assetsUpdated = Number(row?.updated ?? 0);
  return counts;
}

/** CTEs that make the tags of the assets in `up` (id, labels) equal their labels: drop the gone, add the new. */
function tagStatements(companyId: string): SQL {
  return sql`
      tags_dropped as (
        -- By asset id only (the primary key's prefix): the assets in up are this company's, just written.
        delete from asset_tags t using up
        where t.asset_id = up.id and not (t.tag = any (up.labels))
      ),
      tags_added as (
        insert into asset_tags (asset_id, company_id, tag)
        select up.id, ${companyId}::uuid, label from up, unnest(up.labels) as label
        on conflict do nothing
      )`;
}

// ---- issues ------------------------------------------------------------------------------------------------------

/**
 * Applies a page of findings in one statement: creates the API assets of endpoints the inventory has not listed,
 * inserts new issues (unless their severity is filtered out or their status is on no mapping row), updates
 * existing ones under the status rules, and writes their status history. Returns the page's counts.
 */
export async function ingestFindings(db: Queryable, scope: IngestScope, findings: SourceFinding[]): Promise<SyncCounts> {
  const counts = emptySyncCounts();
  if (findings.length === 0) return counts;
  const enabled = Object.entries(scope.severityFilter)
    .filter(([, on]) => on === true)
    .map(([severity]) => severity);
  const page = findings.map((f) => ({
    external_id: f.externalId,
    ref: f.endpoint.ref,
    endpoint_name: f.endpoint.name,
    method: f.endpoint.method,
    path: f.endpoint.path,
    labels: f.endpoint.labels,
    title: f.title,
    severity: f.severity,
    mapped_status: f.mappedStatus,
    external_status: f.externalStatus,
    category: primaryCategory(f.categories),
    categories: f.categories,
    cwe: f.cwe,
    details: f.details,
    detected_at: f.detectedAt?.toISOString() ?? null,
    last_activity_at: f.lastActivityAt?.toISOString() ?? null,
  }));
  const company = sql`${scope.companyId}::uuid`;
  const closed = sql`${scope.closedReason}::text`;
  const origin = sql`${scope.origin}::status_origin`;
  // The status an existing issue moves to, judged on the issue row `i` as PostgreSQL finally updates it.
  const nextStatus = sql`(case
      when t.mapped_status is null then i.status
      when i.closed_reason = ${closed} then t.mapped_status
      when i.status_origin = 'user' and i.status in ${decisions} then i.status
      -- A person's change, or an expiry Postura applied, stands until Salt's own activity is newer.
      when i.status_origin in ('user', 'system') and not coalesce(t.last_activity_at > i.status_changed_at, false) then i.status
      else t.mapped_status end)`;
  const nextClosedReason = sql`(case when i.closed_reason = ${closed} and t.mapped_status is not null then null else i.closed_reason end)`;

  const [row] = rowsOf<Record<keyof SyncCounts, number>>(
    await db.execute(sql`
      with x as (
        select * from jsonb_to_recordset(${json(page)}) as x(
          external_id text, ref text, endpoint_name text, method text, path text, labels text[], title text,
          severity severity, mapped_status issue_status, external_status text, category text, categories text[], cwe text,
          details jsonb, detected_at timestamptz, last_activity_at timestamptz)
      ),
      enabled as (select jsonb_array_elements_text(${json(enabled)})),
      -- Lookups are LATERAL probes of the unique indexes, one per record: the plan then cannot turn into a scan of
      -- the company's rows when statistics are stale (a first sync starts with empty tables).
      cur as (
        select i.* from x cross join lateral (
          select i.id, i.external_id, i.status, i.status_origin, i.external_status, i.closed_reason from issues i
          where i.company_id = ${company} and i.source = ${scope.kind}::integration_kind and i.external_id = x.external_id
        ) i
      ),
      judged as (
        select x.*, cur.id as issue_id, cur.status as cur_status, cur.status_origin as cur_origin,
               cur.external_status as cur_external_status, cur.closed_reason as cur_closed_reason,
               (cur.id is null and x.severity::text not in (select * from enabled)) as filtered,
               (cur.id is null and x.severity::text in (select * from enabled) and x.mapped_status is null) as unmapped
        from x left join cur on cur.external_id = x.external_id
      ),
      wanted as (select * from judged where not filtered and not unmapped),
      known_refs as (
        select r.ref, a.id from (select distinct ref from wanted) r left join lateral (
          select a.id from assets a where a.company_id = ${company} and a.asset_type = 'api' and a.external_ref = r.ref
        ) a on true
      ),
      -- A finding on an endpoint the inventory has not listed (yet) creates its API asset.
      new_assets as (
        insert into assets (company_id, asset_type, name, parent_id, source, integration_id, external_ref, method, path, labels, active, last_synced_at)
        select distinct on (w.ref) ${company}, 'api', w.endpoint_name, ${scope.domainAssetId}::uuid, ${scope.kind}::integration_kind,
               ${scope.integrationId}::uuid, w.ref, w.method, w.path, w.labels, true, now()
        from wanted w join known_refs k on k.ref = w.ref and k.id is null
        order by w.ref
        on conflict (company_id, asset_type, external_ref) do nothing
        returning id, external_ref, labels
      ),
      up as (select id, labels from new_assets),
      ${tagStatements(scope.companyId)},
      refs as (
        select id, ref as external_ref from known_refs where id is not null
        union all select id, external_ref from new_assets
      ),
      t as (select w.*, refs.id as asset_id from wanted w join refs on refs.external_ref = w.ref),
      inserted as (
        insert into issues (company_id, asset_id, domain_asset_id, source, integration_id, external_id, title, severity, status,
                            category, categories, cwe, external_status, details, detected_at, last_activity_at,
                            status_changed_at, status_origin, status_changed_by, closed_reason)
        select ${company}, t.asset_id, ${scope.domainAssetId}::uuid, ${scope.kind}::integration_kind, ${scope.integrationId}::uuid,
               t.external_id, t.title, t.severity, t.mapped_status, t.category, coalesce(t.categories, '{}'), t.cwe, t.external_status,
               t.details, t.detected_at, t.last_activity_at, now(), ${origin}, null, null
        from t where t.issue_id is null
        on conflict (company_id, source, external_id) do nothing
        returning id, status
      ),
      updated as (
        update issues i set
          asset_id = t.asset_id, domain_asset_id = ${scope.domainAssetId}::uuid, integration_id = ${scope.integrationId}::uuid,
          title = t.title, severity = t.severity, category = t.category, categories = coalesce(t.categories, '{}'), cwe = t.cwe,
          external_status = t.external_status, details = t.details, detected_at = t.detected_at, last_activity_at = t.last_activity_at,
          status = ${nextStatus},
          closed_reason = ${nextClosedReason},
          -- The status bookkeeping moves only with the status; statement_timestamp() marks "changed by this statement".
          status_changed_at = case when ${nextStatus} is distinct from i.status then statement_timestamp() else i.status_changed_at end,
          status_origin = case when ${nextStatus} is distinct from i.status then ${origin} else i.status_origin end,
          status_changed_by = case when ${nextStatus} is distinct from i.status then null else i.status_changed_by end,
          updated_at = now()
        from t
        where i.id = t.issue_id and i.company_id = ${company}
          and (i.asset_id, i.domain_asset_id, i.integration_id, i.title, i.severity, i.category, i.categories, i.cwe,
               i.external_status, i.details, i.detected_at, i.last_activity_at, i.status, i.closed_reason)
            is distinct from
              (t.asset_id, ${scope.domainAssetId}::uuid, ${scope.integrationId}::uuid, t.title, t.severity, t.category,
               coalesce(t.categories, '{}'), t.cwe, t.external_status, t.details, t.detected_at, t.last_activity_at, ${nextStatus}, ${nextClosedReason})
        returning i.id, i.status, t.cur_status,
                  (t.cur_closed_reason is not distinct from ${closed} and t.mapped_status is not null) as reopened,
                  (i.status_changed_at = statement_timestamp() and i.status is distinct from t.cur_status) as status_changed
      ),
      history as (
        insert into status_history (company_id, issue_id, from_status, to_status, origin, note)
        select ${company}, id, null, status, ${origin}, null from inserted
        union all
        select ${company}, id, cur_status, status, ${origin}, case when reopened then ${scope.reopenNote}::text end
        from updated where status_changed
        union all
        -- The source newly disagrees with a person's decision, or moved to a status no mapping row holds: say so once.
        select ${company}, t.issue_id, t.cur_status, t.cur_status, ${origin},
               case when t.mapped_status is null
                 then ${scope.sourceName}::text || ' now reports "' || t.external_status || '", which no status-mapping row holds; the status is kept.'
                 else ${scope.sourceName}::text || ' now reports "' || t.external_status || '"; the ' ||
                      ${decisionLabel} || ' decision made in Postura is kept.'
               end
        from t
        where t.issue_id is not null and t.external_status is distinct from t.cur_external_status
          and (t.mapped_status is null
               or (t.cur_origin = 'user' and t.cur_status in ${decisions} and t.mapped_status is distinct from t.cur_status))
        returning 1
      ),
      -- New and changed issues go to the forwarding outbox in this statement (server/forwarding/outbox.ts).
      forward_queued as (${forwardingCte(company, sql`(select id from inserted union all select id from updated)`)})
      select
        (select count(*) from inserted)::int as "issuesCreated",
        (select count(*) from updated where not reopened)::int as "issuesUpdated",
        (select count(*) from updated where reopened)::int as "issuesReopened",
        ((select count(*) from t where issue_id is not null) - (select count(*) from updated))::int as "issuesUnchanged",
        (select count(*) from judged where filtered)::int as "issuesFiltered",
        (select count(*) from judged where unmapped)::int as "issuesUnmapped",
        (select count(*) from new_assets)::int as "assetsCreated",
        (select count(*) from history)::int as "historyWritten"`),
  );
  if (row) {
    for (const key of ["issuesCreated", "issuesUpdated", "issuesReopened", "issuesUnchanged", "issuesFiltered", "issuesUnmapped", "assetsCreated"] as const) {
      counts[key] = Number(row[key] ?? 0);
    }
  }
  return counts;
}

// ---- after a complete read -----------------------------------------------------------------------------------

/**
 * The keys a run has seen, as a jsonb object: `obj ? key` is a binary search of its sorted keys, so the absence
 * checks stay O(n log m) whatever plan the statistics lead to (an array or a CTE anti-join could go quadratic).
 */
function seenSet(keys: Iterable<string>): SQL {
  const object: Record<string, 1> = {};
  for (const key of keys) object[key] = 1;
  return sql`${JSON.stringify(object)}::jsonb`;
}

/**
 * Closes as Fixed the domain's issues whose findings the complete read did not see (except a person's decisions),
 * with a history row for each that changes status. One statement; returns how many were closed.
 */
export async function closeMissingFindings(db: Queryable, scope: IngestScope, seenIds: Iterable<string>): Promise<number> {
  const company = sql`${scope.companyId}::uuid`;
  const closed = sql`${scope.closedReason}::text`;
  const origin = sql`${scope.origin}::status_origin`;
  const [row] = rowsOf<{ closed: number }>(
    await db.execute(sql`
      with gone as (
        update issues i set
          status = 'fixed', closed_reason = ${closed},
          status_changed_at = case when i.status <> 'fixed' then statement_timestamp() else i.status_changed_at end,
          status_origin = case when i.status <> 'fixed' then ${origin} else i.status_origin end,
          status_changed_by = case when i.status <> 'fixed' then null else i.status_changed_by end,
          updated_at = now()
        from (
          select p.id, p.status from issues p
          where p.company_id = ${company} and p.source = ${scope.kind}::integration_kind and p.domain_asset_id = ${scope.domainAssetId}::uuid
            and p.external_id is not null and p.closed_reason is distinct from ${closed}
            and not (${seenSet(seenIds)} ? p.external_id)
        ) prev
        where i.id = prev.id and i.company_id = ${company} and i.closed_reason is distinct from ${closed}
          and not (i.status_origin = 'user' and i.status in ${decisions})
        returning i.id, prev.status as from_status, (i.status_changed_at = statement_timestamp()) as changed
      ),
      history as (
        insert into status_history (company_id, issue_id, from_status, to_status, origin, note)
        select ${company}, id, from_status, 'fixed', ${origin}, ${closed} from gone where changed and from_status <> 'fixed'
        returning 1
      ),
      forward_queued as (${forwardingCte(company, sql`(select id from gone where changed)`)})
      select (select count(*) from gone)::int as closed, (select count(*) from history) as written`),
  );
  return Number(row?.closed ?? 0);
}

/** Marks inactive the domain's API assets the complete read did not see. Returns how many. */
export async function deactivateMissingEndpoints(db: Queryable, scope: IngestScope, seenRefs: Iterable<string>): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      with gone as (
        update assets a set active = false, updated_at = now()
        where a.company_id = ${scope.companyId}::uuid and a.asset_type = 'api' and a.parent_id = ${scope.domainAssetId}::uuid
          and a.active and not (${seenSet(seenRefs)} ? a.external_ref)
        returning 1
      )
      select count(*)::int as n from gone`),
  );
  return Number(row?.n ?? 0);
}
