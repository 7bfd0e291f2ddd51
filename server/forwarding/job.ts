// Pushes one integration's forwarding outbox to Snapsec VM in batches: reads due rows, decides per issue (severity
// filter on the first push, routing to an assessment, status by auto-sync), bulk-upserts by the issue's stable
// external id, records where each record is, and deletes the rows at the generation it pushed. Never writes issues:
// forwarding changes nothing in Postura, so it cannot echo or trigger a Salt write-back.
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Job } from "pg-boss";
import type { Database, Queryable } from "@/db/client";
import {
  defaultForwardingSettings,
  forwardLinks,
  forwardOutbox,
  integrations,
  severityLabels,
  type ForwardState,
} from "@/db/schema";
import { appOrigin } from "@/server/env";
import {
  isSnapsecVmError,
  toVmVulnerability,
  vmClientForIntegration,
  vmStatusFor,
  type ForwardedIssue,
  type SnapsecVmClientOptions,
  type VmThreatStatus,
  type VmVulnerabilityInput,
} from "@/server/integrations/snapsec-vm";
import { logger } from "@/server/logger";
import { notifyFailedForwards } from "@/server/notifications/rules";
import { jsonRows, rowsOf } from "@/server/sync/sql";
import { kickForwarding, type ForwardJobData } from "./outbox";

/** Outbox rounds before a forward is failed for good (each round is itself a client call with its own retries). */
export const FORWARD_MAX_ROUNDS = 3;
export const FORWARD_BATCH = 500;

export interface ForwardingDependencies {
  clientOptions?: Partial<Omit<SnapsecVmClientOptions, "apiKey" | "baseUrl">>;
  /** Wait before the next round after a retryable failure: Retry-After when VM gave one, else doubling from 2 s. */
  roundDelayMs?: (round: number, retryAfterMs: number | undefined) => number;
}

const defaultRoundDelay = (round: number, retryAfterMs: number | undefined) => Math.max(retryAfterMs ?? 0, 2_000 * 2 ** (round - 1));

export const externalIdOf = (issueId: string) => `postura-${issueId}`;

type OutboxRow = { issueId: string; generation: number; attempts: number };
type LinkRow = typeof forwardLinks.$inferSelect;

type IssueToForward = ForwardedIssue & { domainAssetId: string | null };

export async function readIssuesForForwarding(db: Queryable, companyId: string, ids: string[]): Promise<IssueToForward[]> {
  const rows = rowsOf<IssueToForward>(
    await db.execute(sql`
      select i.id, i.title, i.severity, i.status, i.confidence, i.categories, i.cwe, i.source::text as source,
             i.mitigation_notes as "mitigationNotes", i.attack_vectors as "attackVectors", i.details,
             (select u.email from "user" u where u.id = i.owner_user_id) as owner,
             d.name as project, i.domain_asset_id as "domainAssetId", a.method, a.path,
             coalesce((select array_agg(distinct t.tag) from asset_tags t
                        where t.company_id = i.company_id and t.asset_id in (i.asset_id, i.domain_asset_id)), '{}') as tags,
             coalesce((select array_agg(distinct ap.name) from asset_applications aa join applications ap on ap.id = aa.application_id
                        where aa.company_id = i.company_id and aa.asset_id in (i.asset_id, i.domain_asset_id)), '{}') as applications
      from issues i
      join assets a on a.id = i.asset_id
      left join assets d on d.id = i.domain_asset_id
      where i.company_id = ${companyId}::uuid and i.id = any(${`{${ids.join(",")}}`}::uuid[])`),
  );
  return rows;
}

type LinkPatch = Partial<Pick<LinkRow, "assessmentId" | "assessmentName" | "remoteId" | "sentStatus" | "attempts" | "lastError" | "lastForwardedAt">> & {
  state: ForwardState;
};
type LinkWrite = { issueId: string; patch: LinkPatch };

// The columns a link patch may set, with their types for jsonb_to_recordset.
const LINK_COLUMNS = {
  state: "forward_state",
  assessmentId: "text",
  assessmentName: "text",
  remoteId: "text",
  sentStatus: "text",
  attempts: "int",
  lastError: "text",
  lastForwardedAt: "timestamptz",
} as const satisfies Record<keyof LinkPatch, string>;

/**
 * Creates or updates the links of many issues: one statement, one jsonb parameter, per shape of patch (a batch
 * has one or two). What a patch names is set; the rest of an existing link is kept.
 */
async function saveLinks(db: Queryable, scope: { companyId: string; integrationId: string }, writes: readonly LinkWrite[]) {
  const shapes = new Map<string, LinkWrite[]>();
  for (const write of writes) {
    const shape = `${write.patch.state}:${Object.keys(write.patch).sort().join(",")}`;
    shapes.set(shape, [...(shapes.get(shape) ?? []), write]);
  }
  for (const group of shapes.values()) {
    const keys = Object.keys(group[0]!.patch) as (keyof LinkPatch)[];
    const columns = keys.map((key) => forwardLinks[key].name);
    const forwarded = group[0]!.patch.state === "forwarded";
    const rows = group.map(({ issueId, patch }) => ({ issue_id: issueId, external_id: externalIdOf(issueId), ...Object.fromEntries(keys.map((k, i) => [columns[i], patch[k]])) }));
    const recordType = sql.raw(["issue_id uuid", "external_id text", ...keys.map((key, i) => `"${columns[i]}" ${LINK_COLUMNS[key]}`)].join(", "));
    const columnList = sql.raw(columns.map((c) => `"${c}"`).join(", "));
    const fromRecord = sql.raw(columns.map((c) => `r."${c}"`).join(", "));
    const updates = sql.raw(columns.map((c) => `"${c}" = excluded."${c}"`).join(", "));
    await db.execute(sql`
      insert into forward_links as l (company_id, integration_id, issue_id, external_id, ${columnList}, first_forwarded_at)
      select ${scope.companyId}::uuid, ${scope.integrationId}::uuid, r.issue_id, r.external_id, ${fromRecord}, ${forwarded ? sql`now()` : sql`null`}
      from jsonb_to_recordset(${jsonRows(rows)}) as r(${recordType})
      on conflict (integration_id, issue_id) do update set ${updates},
        -- A record once created stays linked: a later failure is shown, but the link keeps its first date.
        first_forwarded_at = ${forwarded ? sql`coalesce(l.first_forwarded_at, now())` : sql`l.first_forwarded_at`},
        updated_at = now()`);
  }
}

/** The outbox rows as taken, `s(issue_id, generation)`, to join on: a row bumped since is not among them. */
function atGeneration(rows: readonly OutboxRow[]) {
  return sql`unnest(${`{${rows.map((r) => r.issueId).join(",")}}`}::uuid[], ${`{${rows.map((r) => r.generation).join(",")}}`}::int[]) as s(issue_id, generation)`;
}

/** Deletes the outbox rows pushed, each only at the generation pushed: a change made meanwhile stays queued. */
async function settleOutbox(db: Queryable, integrationId: string, rows: readonly OutboxRow[]) {
  if (rows.length === 0) return;
  await db.execute(sql`
    delete from forward_outbox o
    using ${atGeneration(rows)}
    where o.integration_id = ${integrationId}::uuid and o.issue_id = s.issue_id and o.generation = s.generation`);
}

export type ForwardBatchResult = { taken: number; forwarded: number; filtered: number; failed: number; deferred: number };

/** One batch of due outbox rows. Returns what happened; `taken` 0 means nothing was due. */
export async function runForwardBatch(db: Database, data: ForwardJobData, deps: ForwardingDependencies = {}): Promise<ForwardBatchResult> {
  const result: ForwardBatchResult = { taken: 0, forwarded: 0, filtered: 0, failed: 0, deferred: 0 };
  const [integration] = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.companyId, data.companyId), eq(integrations.id, data.integrationId)));
  if (!integration || integration.kind !== "snapsec_vm" || integration.state !== "connected") return result;
  const settings = integration.forwarding ?? defaultForwardingSettings;

  const due: OutboxRow[] = await db
    .select({ issueId: forwardOutbox.issueId, generation: forwardOutbox.generation, attempts: forwardOutbox.attempts })
    .from(forwardOutbox)
    .where(and(eq(forwardOutbox.integrationId, integration.id), lte(forwardOutbox.notBefore, sql`now()`)))
    // The index (integration_id, not_before) gives the longest-due rows first without sorting the whole outbox.
    .orderBy(forwardOutbox.notBefore)
    .limit(FORWARD_BATCH);
  result.taken = due.length;
  if (due.length === 0) return result;
  const ids = due.map((r) => r.issueId);
  const issueRows = await readIssuesForForwarding(db, data.companyId, ids);
  const links = new Map(
    (await db.select().from(forwardLinks).where(and(eq(forwardLinks.integrationId, integration.id), inArray(forwardLinks.issueId, ids)))).map((l) => [l.issueId, l]),
  );
  const byIssue = new Map(due.map((r) => [r.issueId, r]));
  const scope = { companyId: data.companyId, integrationId: integration.id };
  const link = `${appOrigin()}/issues/`;

  // Decide per issue, then group what is sent by assessment (one bulk call per assessment).
  const groups = new Map<string, { name: string; items: { issue: ForwardedIssue; input: VmVulnerabilityInput; status: VmThreatStatus }[] }>();
  const settled: OutboxRow[] = [];
  const unsent: LinkWrite[] = [];
  for (const issue of issueRows) {
    const row = byIssue.get(issue.id);
    if (!row) continue;
    const existing = links.get(issue.id);
    const linked = existing?.firstForwardedAt != null;
    if (!linked && integration.settings.severityFilter[issue.severity] !== true) {
      unsent.push({ issueId: issue.id, patch: { state: "filtered", lastError: `Severity ${severityLabels[issue.severity]} is filtered out.` } });
      result.filtered++;
      settled.push(row);
      continue;
    }
    const domainId = issue.domainAssetId;
    const assessment =
      (settings.assessmentMode === "per_project" && domainId ? settings.projectAssessments[domainId] : undefined) ?? settings.unifiedAssessment;
    if (!assessment) {
      unsent.push({ issueId: issue.id, patch: { state: "failed", lastError: "No assessment is chosen for this issue's project. Choose one in the Snapsec VM settings." } });
      result.failed++;
      settled.push(row);
      continue;
    }
    const mapped = vmStatusFor(issue.status, settings.statusMapping);
    const sent = (existing?.sentStatus ?? null) as VmThreatStatus | null;
    // Auto-sync off: a linked record keeps the status VM has from us; the first push still carries the current one.
    const status: VmThreatStatus = linked ? ((settings.autoSync ? mapped : null) ?? sent ?? mapped ?? "Pending") : (mapped ?? "Pending");
    const group = groups.get(assessment.id) ?? { name: assessment.name, items: [] };
    group.items.push({ issue, status, input: toVmVulnerability(issue, { externalId: externalIdOf(issue.id), status, link: `${link}${issue.id}` }) });
    groups.set(assessment.id, group);
  }
  // Issues deleted since they were queued: nothing to forward.
  for (const row of due) if (!issueRows.some((i) => i.id === row.issueId)) settled.push(row);
  await saveLinks(db, scope, unsent);
  await settleOutbox(db, integration.id, settled);
  if (groups.size === 0) return result;

  for (const [assessmentId, group] of groups) {
    try {
      // Built per call: a stored key with spaces fails here, typed, like any answer from VM.
      const client = vmClientForIntegration(integration, deps.clientOptions);
      const report = await client.upsertVulnerabilities(
        assessmentId,
        group.items.map((i) => i.input),
      );
      const pushedAt = new Date();
      const writes: LinkWrite[] = group.items.map((item, index) => {
        const answer = report.results[index];
        if (answer && answer.result !== "error") {
          result.forwarded++;
          const patch: LinkPatch = { state: "forwarded", assessmentId, assessmentName: group.name, remoteId: answer.id ?? null, sentStatus: item.status };
          return { issueId: item.issue.id, patch: { ...patch, attempts: 0, lastError: null, lastForwardedAt: pushedAt } };
        }
        result.failed++;
        return { issueId: item.issue.id, patch: { state: "failed", lastError: `Snapsec VM refused the record: ${answer?.reason ?? "no reason given"}.` } };
      });
      // Records VM refused, by reason: each reason is one notification of its issues.
      const refused = new Map<string, string[]>();
      for (const write of writes) {
        if (write.patch.state !== "failed") continue;
        const reason = write.patch.lastError ?? "Snapsec VM refused the record.";
        refused.set(reason, [...(refused.get(reason) ?? []), write.issueId]);
      }
      await db.transaction(async (tx) => {
        await saveLinks(tx, scope, writes);
        for (const [reason, issueIds] of refused) {
          await notifyFailedForwards(tx, { companyId: data.companyId, integrationId: integration.id, issueIds, reason });
        }
        await settleOutbox(
          tx,
          integration.id,
          group.items.map((i) => byIssue.get(i.issue.id)!),
        );
      });
    } catch (error) {
      if (!isSnapsecVmError(error)) throw error;
      const rows = group.items.map((i) => byIssue.get(i.issue.id)!);
      const round = Math.max(...rows.map((r) => r.attempts)) + 1;
      if (error.retryable && round < FORWARD_MAX_ROUNDS) {
        const delay = (deps.roundDelayMs ?? defaultRoundDelay)(round, error.details.retryAfterMs);
        await db.execute(sql`
          update forward_outbox o set attempts = ${round}, not_before = ${new Date(Date.now() + delay).toISOString()}::timestamptz
          from ${atGeneration(rows)}
          where o.integration_id = ${integration.id}::uuid and o.issue_id = s.issue_id and o.generation = s.generation`);
        result.deferred += rows.length;
        logger.warn("forward deferred", { integrationId: integration.id, code: error.code, round, delayMs: delay });
      } else {
        await db.transaction(async (tx) => {
          await saveLinks(
            tx,
            scope,
            group.items.map((item) => ({ issueId: item.issue.id, patch: { state: "failed", attempts: round, lastError: error.message } })),
          );
          await notifyFailedForwards(tx, { companyId: data.companyId, integrationId: integration.id, issueIds: group.items.map((i) => i.issue.id), reason: error.message });
          await settleOutbox(tx, integration.id, rows);
        });
        result.failed += rows.length;
        logger.warn("forward failed", { integrationId: integration.id, code: error.code, count: rows.length });
      }
    }
  }
  return result;
}

/** Works batches until nothing is due (bounded per job), then schedules the next job for rows still waiting. */
export async function runForwarding(db: Database, data: ForwardJobData, deps: ForwardingDependencies = {}, maxBatches = 400) {
  const totals: ForwardBatchResult = { taken: 0, forwarded: 0, filtered: 0, failed: 0, deferred: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const batch = await runForwardBatch(db, data, deps);
    for (const key of Object.keys(totals) as (keyof ForwardBatchResult)[]) totals[key] += batch[key];
    if (batch.taken === 0 || batch.taken === batch.deferred) break;
  }
  const [next] = await db
    .select({ at: sql<string>`min(${forwardOutbox.notBefore})` })
    .from(forwardOutbox)
    .where(eq(forwardOutbox.integrationId, data.integrationId));
  return { ...totals, nextAt: next?.at ? new Date(next.at) : null };
}

export function createForwardHandler(getDb: () => Database, deps: ForwardingDependencies = {}) {
  return async (jobs: Job<ForwardJobData>[]) => {
    for (const job of jobs) {
      const outcome = await runForwarding(getDb(), job.data, deps);
      if (outcome.nextAt) await kickForwarding(job.data, { startAfter: outcome.nextAt > new Date() ? outcome.nextAt : undefined });
      logger.info("forwarding run finished", { integrationId: job.data.integrationId, ...outcome });
    }
  };
}
