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
import type { SourceEndpoint, SourceFinding, SourceHost } from "./types";

/** What every statement of one run needs to know. */
export type IngestScope = {
  companyId: string;
  integrationId: string;
  kind: IntegrationKind;
  /** The domain a domain sync reads; null for a host source (each host is its own top-level asset). */
  domainAssetId: string | null;
  origin: StatusOrigin;
  /**
   * The source reports fixes itself (Tenable's FIXED): a finding mapped to Fixed closes its issue with
   * `closedReason` (counted as closed), and a later open result reopens it (counted as reopened, with a history row).
   */
  explicitFixes?: boolean;
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
export async function ingestFindings(
  db: Queryable,
  scope: IngestScope,
  findings: SourceFinding[],
  /** Host findings: the asset id of each host ref (from ingestHosts). */
  hostAssets: ReadonlyMap<string, string> = new Map(),
): Promise<SyncCounts> {
  const counts = emptySyncCounts();
  if (findings.length === 0) return counts;
  const enabled = Object.entries(scope.severityFilter)
    .filter(([, on]) => on === true)
    .map(([severity]) => severity);
  const page = findings.map((f) => ({
    external_id: f.externalId,
    ref: f.endpoint?.ref ?? null,
    endpoint_name: f.endpoint?.name ?? null,
    method: f.endpoint?.method ?? null,
    path: f.endpoint?.path ?? null,
    labels: f.endpoint?.labels ?? [],
    host_asset_id: f.endpoint === null && f.host ? (hostAssets.get(f.host.ref) ?? null) : null,
    cves: f.vulnerability?.cves ?? [],
    cvss_score: f.vulnerability?.cvssScore ?? null,
    vpr_score: f.vulnerability?.vprScore ?? null,
    port: f.vulnerability?.port ?? null,
    protocol: f.vulnerability?.protocol ?? null,
    service: f.vulnerability?.service ?? null,
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
  const explicit = sql`${scope.explicitFixes === true}::boolean`;
  const domain = sql`${scope.domainAssetId}::uuid`;
  // The status an existing issue moves to, judged on the issue row `i` as PostgreSQL finally updates it.
  const nextStatus = sql`(case
      when t.mapped_status is null then i.status
      when i.closed_reason = ${closed} then t.mapped_status
      when i.status_origin = 'user' and i.status in ${decisions} then i.status
      -- A person's change, or an expiry Postura applied, stands until Salt's own activity is newer.
      when i.status_origin in ('user', 'system') and not coalesce(t.last_activity_at > i.status_changed_at, false) then i.status
      else t.mapped_status end)`;
  const nextClosedReason = sql`(case
      when ${explicit} and t.mapped_status = 'fixed' and ${nextStatus} = 'fixed' then ${closed}
      when i.closed_reason = ${closed} and t.mapped_status is not null then null
      else i.closed_reason end)`;

  const [row] = rowsOf<Record<keyof SyncCounts, number>>(
    await db.execute(sql`
      with x as (
        select * from jsonb_to_recordset(${json(page)}) as x(
          external_id text, ref text, endpoint_name text, method text, path text, labels text[], title text,
          severity severity, mapped_status issue_status, external_status text, category text, categories text[], cwe text,
          details jsonb, detected_at timestamptz, last_activity_at timestamptz, host_asset_id uuid,
          cves text[], cvss_score real, vpr_score real, port int, protocol text, service text)
      ),
      enabled as (select jsonb_array_elements_text(${json(enabled)})),
      -- Lookups are LATERAL probes of the unique indexes, one per record. The LIMIT (harmless: the key is unique)
      -- keeps PostgreSQL from pulling the subquery up into a join, which, with stale statistics (a first sync starts
      -- with empty tables; autovacuum may be off or behind), it planned as a hash join over all the company's issues.
      cur as (
        select i.* from x cross join lateral (
          select i.id, i.external_id, i.status, i.status_origin, i.external_status, i.closed_reason from issues i
          where i.company_id = ${company} and i.source = ${scope.kind}::integration_kind and i.external_id = x.external_id
          limit 1
        ) i
      ),
      judged as (
        select x.*, cur.id as issue_id, cur.status as cur_status, cur.status_origin as cur_origin,
               cur.external_status as cur_external_status, cur.closed_reason as cur_closed_reason,
               (cur.id is null and x.severity::text not in (select * from enabled)) as filtered,
               (cur.id is null and x.severity::text in (select * from enabled) and x.mapped_status is null) as unmapped
        from x left join cur on cur.external_id = x.external_id
      ),
      wanted as (select * from judged where not filtered and not unmapped and (ref is not null or host_asset_id is not null)),
      known_refs as (
        select r.ref, a.id from (select distinct ref from wanted where ref is not null) r left join lateral (
          select a.id from assets a where a.company_id = ${company} and a.asset_type = 'api' and a.external_ref = r.ref limit 1
        ) a on true
      ),
      -- A finding on an endpoint the inventory has not listed (yet) creates its API asset.
      new_assets as (
        insert into assets (company_id, asset_type, name, parent_id, source, integration_id, external_ref, method, path, labels, active, last_synced_at)
        select distinct on (w.ref) ${company}, 'api', w.endpoint_name, ${domain}, ${scope.kind}::integration_kind,
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
      -- An endpoint finding's issue sits on the endpoint's API asset under the domain; a host finding's on the host,
      -- which is its own top-level asset (domain_asset_id is the host: an FQDN asset or a host asset).
      t as (
        select w.*, coalesce(w.host_asset_id, refs.id) as asset_id, coalesce(w.host_asset_id, ${domain}) as top_asset_id
        from wanted w left join refs on refs.external_ref = w.ref
        where coalesce(w.host_asset_id, refs.id) is not null
      ),
      inserted as (
        insert into issues (company_id, asset_id, domain_asset_id, source, integration_id, external_id, title, severity, status,
                            category, categories, cwe, cves, cvss_score, vpr_score, port, protocol, service,
                            external_status, details, detected_at, last_activity_at,
                            status_changed_at, status_origin, status_changed_by, closed_reason)
        select ${company}, t.asset_id, t.top_asset_id, ${scope.kind}::integration_kind, ${scope.integrationId}::uuid,
               t.external_id, t.title, t.severity, t.mapped_status, t.category, coalesce(t.categories, '{}'), t.cwe,
               coalesce(t.cves, '{}'), t.cvss_score, t.vpr_score, t.port, t.protocol, t.service, t.external_status,
               t.details, t.detected_at, t.last_activity_at, now(), ${origin}, null,
               case when ${explicit} and t.mapped_status = 'fixed' then ${closed} end
        from t where t.issue_id is null
        on conflict (company_id, source, external_id) do nothing
        returning id, status
      ),
      updated as (
        update issues i set
          asset_id = t.asset_id, domain_asset_id = t.top_asset_id, integration_id = ${scope.integrationId}::uuid,
          title = t.title, severity = t.severity, category = t.category, categories = coalesce(t.categories, '{}'), cwe = t.cwe,
          cves = coalesce(t.cves, '{}'), cvss_score = t.cvss_score, vpr_score = t.vpr_score, port = t.port, protocol = t.protocol, service = t.service,
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
               i.cves, i.cvss_score, i.vpr_score, i.port, i.protocol, i.service,
               i.external_status, i.details, i.detected_at, i.last_activity_at, i.status, i.closed_reason)
            is distinct from
              (t.asset_id, t.top_asset_id, ${scope.integrationId}::uuid, t.title, t.severity, t.category,
               coalesce(t.categories, '{}'), t.cwe, coalesce(t.cves, '{}'), t.cvss_score, t.vpr_score, t.port, t.protocol, t.service,
               t.external_status, t.details, t.detected_at, t.last_activity_at, ${nextStatus}, ${nextClosedReason})
        returning i.id, i.status, t.cur_status,
                  (t.cur_closed_reason is not distinct from ${closed} and t.mapped_status is not null
                   and (not ${explicit} or i.status <> 'fixed')) as reopened,
                  (${explicit} and i.status = 'fixed' and t.cur_status is distinct from 'fixed') as closing,
                  (i.status_changed_at = statement_timestamp() and i.status is distinct from t.cur_status) as status_changed
      ),
      history as (
        insert into status_history (company_id, issue_id, from_status, to_status, origin, note)
        select ${company}, id, null, status, ${origin}, null from inserted
        union all
        select ${company}, id, cur_status, status, ${origin},
               case when reopened then ${scope.reopenNote}::text when closing then ${closed} end
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
        (select count(*) from updated where not reopened and not closing)::int as "issuesUpdated",
        (select count(*) from updated where reopened)::int as "issuesReopened",
        (select count(*) from updated where closing)::int as "issuesClosed",
        ((select count(*) from t where issue_id is not null) - (select count(*) from updated))::int as "issuesUnchanged",
        (select count(*) from judged where filtered)::int as "issuesFiltered",
        (select count(*) from judged where unmapped)::int as "issuesUnmapped",
        (select count(*) from new_assets)::int as "assetsCreated",
        (select count(*) from history)::int as "historyWritten"`),
  );
  if (row) {
    for (const key of ["issuesCreated", "issuesUpdated", "issuesReopened", "issuesClosed", "issuesUnchanged", "issuesFiltered", "issuesUnmapped", "assetsCreated"] as const) {
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
 * Acts on what a complete read did not see, in one statement: closes as Fixed the domain's issues whose findings
 * are gone (except a person's decisions), with a history row for each that changes status, and marks inactive the
 * domain's API assets whose endpoints are gone. A kind given as null is not acted on (its absence is unproven).
 */
export async function closeAbsences(
  db: Queryable,
  scope: IngestScope,
  seen: { findingIds: Iterable<string> | null; endpointRefs: Iterable<string> | null },
): Promise<{ issuesClosed: number; assetsDeactivated: number }> {
  const company = sql`${scope.companyId}::uuid`;
  const closed = sql`${scope.closedReason}::text`;
  const origin = sql`${scope.origin}::status_origin`;
  const findingsGone = seen.findingIds
    ? sql`
      gone as (
        update issues i set
          status = 'fixed', closed_reason = ${closed},
          status_changed_at = case when i.status <> 'fixed' then statement_timestamp() else i.status_changed_at end,
          status_origin = case when i.status <> 'fixed' then ${origin} else i.status_origin end,
          status_changed_by = case when i.status <> 'fixed' then null else i.status_changed_by end,
          updated_at = now()
        from (
          -- The domain's issues, read through the domain index: the company is checked on the updated row below
          -- (i.company_id), not here, where it let the planner pick the (company, source, external id) index and,
          -- with stale statistics, walk every issue of the company for each domain.
          select p.id, p.status from issues p
          where p.domain_asset_id = ${scope.domainAssetId}::uuid and p.source = ${scope.kind}::integration_kind
            and p.external_id is not null and p.closed_reason is distinct from ${closed}
            and not (${seenSet(seen.findingIds)} ? p.external_id)
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
      forward_queued as (${forwardingCte(company, sql`(select id from gone where changed)`)}),`
    : sql`gone as (select null::uuid as id where false),`;
  const endpointsGone = seen.endpointRefs
    ? sql`
      inactive as (
        update assets a set active = false, updated_at = now()
        where a.company_id = ${company} and a.asset_type = 'api' and a.parent_id = ${scope.domainAssetId}::uuid
          and a.active and not (${seenSet(seen.endpointRefs)} ? a.external_ref)
        returning 1
      )`
    : sql`inactive as (select 1 where false)`;
  const [row] = rowsOf<{ closed: number; deactivated: number }>(
    await db.execute(sql`
      with ${findingsGone} ${endpointsGone}
      select (select count(*) from gone)::int as closed, (select count(*) from inactive)::int as deactivated`),
  );
  return { issuesClosed: Number(row?.closed ?? 0), assetsDeactivated: Number(row?.deactivated ?? 0) };
}

// ---- hosts (vulnerability scanners) -------------------------------------------------------------------------

/**
 * Makes a page of scanner hosts assets, in one statement, and returns each host ref's asset id. A host whose fqdn
 * is an existing FQDN asset IS that asset (it takes the node and the machine's facts; its name and Salt's data stay),
 * so an API scanner's and a vulnerability scanner's findings meet on one asset. Any other host is a host asset keyed
 * by its node. Rows are written only when a value differs.
 */
export async function ingestHosts(
  db: Queryable,
  scope: Pick<IngestScope, "companyId" | "integrationId" | "kind">,
  hosts: SourceHost[],
): Promise<{ counts: SyncCounts; assetIds: Map<string, string> }> {
  const counts = emptySyncCounts();
  const assetIds = new Map<string, string>();
  if (hosts.length === 0) return { counts, assetIds };
  const byRef = new Map(hosts.map((h) => [h.ref, h]));
  const page = [...byRef.values()].map((h) => ({
    ref: h.ref,
    name: h.name,
    hostname: h.hostname,
    fqdn: h.fqdn,
    ipv4: h.ipv4,
    os: h.operatingSystem,
  }));
  const company = sql`${scope.companyId}::uuid`;
  const rows = rowsOf<{ ref: string; id: string; inserted: boolean | null; updated: boolean | null }>(
    await db.execute(sql`
      with x as (
        select * from jsonb_to_recordset(${json(page)}) as x(ref text, name text, hostname text, fqdn text, ipv4 text, os text)
      ),
      fqdn_match as (
        select x.ref, d.id from x cross join lateral (
          select a.id from assets a where a.company_id = ${company} and a.asset_type = 'domain' and a.external_ref = x.fqdn limit 1
        ) d where x.fqdn is not null
      ),
      fqdn_updated as (
        update assets a set node_ref = coalesce(a.node_ref, x.ref), hostname = x.hostname, fqdn = x.fqdn, ipv4 = x.ipv4,
               operating_system = x.os, updated_at = now()
        from x join fqdn_match m on m.ref = x.ref
        where a.id = m.id and a.company_id = ${company}
          and (coalesce(a.node_ref, x.ref), a.hostname, a.fqdn, a.ipv4, a.operating_system) is distinct from (x.ref, x.hostname, x.fqdn, x.ipv4, x.os)
        returning a.id
      ),
      host_up as (
        insert into assets as a (company_id, asset_type, name, source, integration_id, external_ref, node_ref, hostname, fqdn, ipv4,
                                 operating_system, active, last_synced_at)
        select ${company}, 'host', x.name, ${scope.kind}::integration_kind, ${scope.integrationId}::uuid, x.ref, x.ref, x.hostname,
               x.fqdn, x.ipv4, x.os, true, now()
        from x where not exists (select 1 from fqdn_match m where m.ref = x.ref)
        on conflict (company_id, asset_type, external_ref) do update set
          name = excluded.name, source = excluded.source, integration_id = excluded.integration_id, node_ref = excluded.node_ref,
          hostname = excluded.hostname, fqdn = excluded.fqdn, ipv4 = excluded.ipv4, operating_system = excluded.operating_system,
          active = true, last_synced_at = excluded.last_synced_at, updated_at = now()
        where (a.name, a.source, a.integration_id, a.node_ref, a.hostname, a.fqdn, a.ipv4, a.operating_system, a.active)
          is distinct from (excluded.name, excluded.source, excluded.integration_id, excluded.node_ref, excluded.hostname,
                            excluded.fqdn, excluded.ipv4, excluded.operating_system, true)
        returning a.id, a.external_ref, (xmax = 0) as inserted
      )
      select x.ref, coalesce(m.id, u.id, h.id) as id, u.inserted, (f.id is not null or (u.id is not null and not u.inserted)) as updated
      from x
      left join fqdn_match m on m.ref = x.ref
      left join fqdn_updated f on f.id = m.id
      left join host_up u on u.external_ref = x.ref and m.id is null
      left join lateral (
        select a.id from assets a where a.company_id = ${company} and a.asset_type = 'host' and a.external_ref = x.ref limit 1
      ) h on m.id is null`),
  );
  for (const row of rows) {
    if (row.id) assetIds.set(row.ref, row.id);
    if (row.inserted === true) counts.assetsCreated++;
    else if (row.updated === true) counts.assetsUpdated++;
  }
  return { counts, assetIds };
}

/** The nodes already known (host assets and FQDN assets a scanner matched), so a host keeps its node across imports. */
export async function knownHostNodes(db: Queryable, companyId: string): Promise<{ node: string; fqdn?: string; ipv4?: string }[]> {
  const rows = rowsOf<{ node: string; fqdn: string | null; ipv4: string | null }>(
    await db.execute(sql`
      select node_ref as node, fqdn, ipv4 from assets
      where company_id = ${companyId}::uuid and node_ref is not null and asset_type in ('host', 'domain')
      order by created_at, id`),
  );
  return rows.map((r) => ({ node: r.node, ...(r.fqdn ? { fqdn: r.fqdn } : {}), ...(r.ipv4 ? { ipv4: r.ipv4 } : {}) }));
}
