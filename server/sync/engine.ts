/**
 * The inbound sync of one associated domain: the source's endpoints become API assets under the domain's FQDN
 * asset, its findings become issues on them.
 *
 * - Streams pages; each page is one transaction of batched upserts keyed by external ids, so a crash leaves
 *   either the old or the new state of a batch. An upsert writes a row only when a value differs
 *   (`... on conflict do update ... where (stored) is distinct from (proposed)`), so re-running on unchanged
 *   data writes no asset or issue row and changes no `updated_at`.
 * - Only after a complete, error-free read of the domain are absences acted on: issues whose findings are gone
 *   close as Fixed ("no longer reported by …"), endpoints that are gone become inactive. A failed page marks
 *   nothing.
 * - Inbound status: the mapped status applies, except when the last change was a user's in Postura and the
 *   finding's lastActivity is not newer than it (Postura's change stands; the write-back will tell the source).
 *   A status on no mapping row means "not synced": a new finding with it is not imported (counted as
 *   issuesUnmapped), and an existing issue keeps its status, with a note in its history when the source moves to it.
 * - Severity filter: findings of a disabled severity are not imported; issues already imported keep updating.
 * - Hostile input: every record is cleaned and bounded first (sanitise.ts). A record that still cannot be taken —
 *   malformed at the source, or refused by the database — is skipped and named in the run, which ends "partial";
 *   the rest of the domain imports. A page the database refuses is split in halves until the refusing record is
 *   found, so one record costs only itself.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Database, Queryable } from "@/db/client";
import {
  applications,
  assetApplications,
  assets,
  assetTags,
  type IntegrationKind,
  integrations,
  issues,
  type IssueStatus,
  issueStatusLabels,
  type SeverityFilter,
  type SkippedRecord,
  type StatusOrigin,
  statusHistory,
  type SyncCounts,
  type SyncTrigger,
} from "@/db/schema";
import { describeError } from "@/server/error-fields";
import { logger } from "@/server/logger";
import { recomputeDomainFigures } from "./figures";
import { addCounts, emptySyncCounts, recordRunFinished, recordRunProgress, recordRunStarted } from "./runs";
import { cleanEndpoint, cleanFinding, cleanLabels, cleanLine, cleanText, primaryCategory } from "./sanitise";
import { chunks, differsFromProposed, proposed, recordRefusedByDatabase, sqlState, stored } from "./sql";
import {
  noLongerReportedReason,
  type SourceEndpoint,
  type SourceFinding,
  type SourcePage,
  type SyncSource,
} from "./types";

type IntegrationRow = typeof integrations.$inferSelect;

export type SyncDependencies = {
  /** Builds the source for an integration (the default reads the integration's API through its client). */
  openSource: (integration: IntegrationRow) => SyncSource | Promise<SyncSource>;
};

export type DomainSyncInput = {
  companyId: string;
  integrationId: string;
  domain: string;
  trigger: SyncTrigger;
  runId?: string;
};

export type DomainSyncResult = {
  runId: string;
  /** partial: finished, but some records were skipped (named in `skipped`). */
  state: "succeeded" | "partial" | "failed";
  counts: SyncCounts;
  skipped: SkippedRecord[];
  error: { code: string; message: string; retryable: boolean } | null;
};

/** Who changed a status, in the status history's words, for each kind of run. */
export const originOfTrigger: Record<SyncTrigger, StatusOrigin> = {
  first_sync: "sync",
  manual: "sync",
  webhook: "webhook",
  reconciliation: "reconciliation",
};

/** Statuses a person sets as a decision; no sync reverts them (README: conflict rule). */
const userDecisionsKept = ["risk_accepted", "false_positive"] as const satisfies readonly IssueStatus[];

type RunContext = {
  companyId: string;
  integrationId: string;
  kind: IntegrationKind;
  domainAssetId: string;
  origin: StatusOrigin;
  severityFilter: SeverityFilter;
  closedReason: string;
  reopenNote: string;
  sourceName: string;
  counts: SyncCounts;
  seenEndpointRefs: Set<string>;
  seenFindingIds: Set<string>;
  seenLabels: Set<string>;
  /** Skipped records, in order (the run stores the first ones; counts.recordsSkipped has them all). */
  skipped: SkippedRecord[];
  /** A skipped record's key was unknown: the read cannot prove an absence of that kind. */
  endpointsUnproven: boolean;
  findingsUnproven: boolean;
};

class SyncStop extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function classify(error: unknown): { code: string; message: string; retryable: boolean } {
  if (error instanceof SyncStop) return { code: error.code, message: error.message, retryable: false };
  const state = sqlState(error);
  if (state) {
    // The database's own text holds the statement and its parameters: it goes to the log, not to users.
    return {
      code: "database_error",
      message: `Postura could not save this domain's data (database error ${state}); the worker log has the details.`,
      retryable: true,
    };
  }
  if (error instanceof Error) {
    // Integration errors (SaltError and the like) carry a machine code and whether retrying may help.
    const { code, retryable } = error as Error & { code?: unknown; retryable?: unknown };
    if (typeof code === "string" && typeof retryable === "boolean") return { code, message: error.message, retryable };
    return { code: "internal_error", message: error.message, retryable: true };
  }
  return { code: "internal_error", message: String(error), retryable: true };
}

// ---- API assets ---------------------------------------------------------------------------------------------

async function upsertApiAssets(tx: Queryable, ctx: RunContext, endpoints: SourceEndpoint[], counts: SyncCounts) {
  const unique = [...new Map(endpoints.map((e) => [e.ref, e])).values()];
  if (unique.length === 0) return new Map<string, string>();
  const now = new Date();
  const written = await tx
    .insert(assets)
    .values(
      unique.map((e) => ({
        companyId: ctx.companyId,
        assetType: "api" as const,
        name: e.name,
        parentId: ctx.domainAssetId,
        source: ctx.kind,
        integrationId: ctx.integrationId,
        externalRef: e.ref,
        method: e.method,
        path: e.path,
        labels: e.labels,
        active: true,
        lastSyncedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [assets.companyId, assets.assetType, assets.externalRef],
      set: {
        name: proposed(assets.name),
        parentId: proposed(assets.parentId),
        source: proposed(assets.source),
        integrationId: proposed(assets.integrationId),
        method: proposed(assets.method),
        path: proposed(assets.path),
        labels: proposed(assets.labels),
        active: proposed(assets.active),
        lastSyncedAt: proposed(assets.lastSyncedAt),
        updatedAt: sql`now()`,
      },
      setWhere: differsFromProposed([
        assets.name,
        assets.parentId,
        assets.source,
        assets.integrationId,
        assets.method,
        assets.path,
        assets.labels,
        assets.active,
      ]),
    })
    .returning({ id: assets.id, ref: assets.externalRef, labels: assets.labels, inserted: sql<boolean>`(xmax = 0)` });

  for (const row of written) {
    if (row.inserted) counts.assetsCreated++;
    else counts.assetsUpdated++;
  }
  await replaceTags(tx, ctx.companyId, written);
  return new Map(written.map((row) => [row.ref, row.id]));
}

/** Tags mirror an asset's labels; only assets whose row was just written can have changed labels. */
async function replaceTags(tx: Queryable, companyId: string, changed: { id: string; labels: string[] }[]) {
  if (changed.length === 0) return;
  await tx.delete(assetTags).where(and(eq(assetTags.companyId, companyId), inArray(assetTags.assetId, changed.map((a) => a.id))));
  const rows = changed.flatMap((a) => a.labels.map((tag) => ({ assetId: a.id, companyId, tag })));
  for (const batch of chunks(rows, 1000)) await tx.insert(assetTags).values(batch).onConflictDoNothing();
}

async function apiAssetIdsByRef(tx: Queryable, ctx: RunContext, refs: string[]) {
  if (refs.length === 0) return new Map<string, string>();
  const rows = await tx
    .select({ id: assets.id, ref: assets.externalRef })
    .from(assets)
    .where(and(eq(assets.companyId, ctx.companyId), eq(assets.assetType, "api"), inArray(assets.externalRef, refs)));
  return new Map(rows.map((r) => [r.ref, r.id]));
}

async function applyEndpointPage(db: Database, ctx: RunContext, page: SourcePage<SourceEndpoint>) {
  for (const record of page.skipped) skip(ctx, record);
  const endpoints: SourceEndpoint[] = [];
  for (const raw of page.records) {
    const cleaned = cleanEndpoint(raw);
    if (!cleaned.ok) {
      skip(ctx, cleaned.skipped);
      continue;
    }
    endpoints.push(cleaned.value);
    ctx.seenEndpointRefs.add(cleaned.value.ref);
    for (const label of cleaned.value.labels) ctx.seenLabels.add(label);
  }
  await applyIsolatingRefusals(
    ctx,
    endpoints,
    async (batch) => {
      const counts = emptySyncCounts();
      await db.transaction(async (tx) => {
        await upsertApiAssets(tx, ctx, batch, counts);
      });
      return counts;
    },
    (endpoint) => ({ kind: "endpoint", id: endpoint.name, known: true }),
  );
}

// ---- records that cannot be taken ----------------------------------------------------------------------------

/** Names a skipped record in the run. A record whose key is unknown leaves absences of its kind unproven. */
function skip(ctx: RunContext, record: SkippedRecord, keyKnown = record.kind === "finding" && record.id !== null) {
  ctx.counts.recordsSkipped = (ctx.counts.recordsSkipped ?? 0) + 1;
  const id = record.id === null ? null : cleanLine(record.id, 120);
  ctx.skipped.push({ kind: record.kind, id, reason: cleanText(record.reason, 300) });
  if (record.kind === "finding" && id !== null) ctx.seenFindingIds.add(id);
  if (!keyKnown) {
    if (record.kind === "finding") ctx.findingsUnproven = true;
    else ctx.endpointsUnproven = true;
  }
}

const refusalReasons: Record<string, string> = {
  "54000": "a value is too large for its index",
  "22001": "a value is too long",
  "22008": "a date is out of range",
  "22021": "it holds characters the database cannot store",
  "22P05": "it holds characters the database cannot store",
};

/**
 * Applies a page of records; when the database refuses the page for what a record holds, splits it in halves
 * until the refusing record is alone, skips that one and keeps the rest. Counts are added only for committed work.
 */
async function applyIsolatingRefusals<T>(
  ctx: RunContext,
  records: T[],
  apply: (batch: T[]) => Promise<SyncCounts>,
  describe: (record: T) => { kind: SkippedRecord["kind"]; id: string; known: boolean },
): Promise<void> {
  if (records.length === 0) return;
  try {
    addCounts(ctx.counts, await apply(records));
  } catch (error) {
    if (!recordRefusedByDatabase(error)) throw error;
    if (records.length === 1) {
      const { kind, id, known } = describe(records[0]!);
      const state = sqlState(error) ?? "";
      logger.warn("record refused by the database; skipped", { kind, id, sqlState: state, error: String((error as Error).cause ?? error) });
      skip(ctx, { kind, id, reason: `refused by the database: ${refusalReasons[state] ?? `error ${state}`}` }, known);
      return;
    }
    const half = Math.ceil(records.length / 2);
    await applyIsolatingRefusals(ctx, records.slice(0, half), apply, describe);
    await applyIsolatingRefusals(ctx, records.slice(half), apply, describe);
  }
}

// ---- issues ---------------------------------------------------------------------------------------------------

type IssueInsert = typeof issues.$inferInsert;

async function applyFindingPage(db: Database, ctx: RunContext, page: SourcePage<SourceFinding>) {
  for (const record of page.skipped) skip(ctx, record);
  const cleaned: SourceFinding[] = [];
  for (const raw of page.records) {
    const result = cleanFinding(raw);
    if (result.ok) cleaned.push(result.value);
    else skip(ctx, result.skipped);
  }
  const findings = [...new Map(cleaned.map((f) => [f.externalId, f])).values()];
  for (const finding of findings) {
    ctx.seenFindingIds.add(finding.externalId);
    ctx.seenEndpointRefs.add(finding.endpoint.ref);
    for (const label of finding.endpoint.labels) ctx.seenLabels.add(label);
  }
  await applyIsolatingRefusals(
    ctx,
    findings,
    async (batch) => {
      const counts = emptySyncCounts();
      await upsertFindings(db, ctx, batch, counts);
      return counts;
    },
    (finding) => ({ kind: "finding", id: finding.externalId, known: true }),
  );
}

async function upsertFindings(db: Database, ctx: RunContext, findings: SourceFinding[], counts: SyncCounts) {
  await db.transaction(async (tx) => {
    // Lock the batch's existing issues: a user's status change waits for this batch instead of being overwritten.
    const existing = await tx
      .select({
        id: issues.id,
        externalId: issues.externalId,
        status: issues.status,
        statusChangedAt: issues.statusChangedAt,
        statusOrigin: issues.statusOrigin,
        closedReason: issues.closedReason,
        externalStatus: issues.externalStatus,
      })
      .from(issues)
      .where(
        and(
          eq(issues.companyId, ctx.companyId),
          eq(issues.source, ctx.kind),
          inArray(
            issues.externalId,
            findings.map((f) => f.externalId),
          ),
        ),
      )
      .for("update");
    const existingById = new Map(existing.map((row) => [row.externalId, row]));

    const imported = findings.filter((f) => {
      if (existingById.has(f.externalId)) return true;
      if (ctx.severityFilter[f.severity] !== true) {
        counts.issuesFiltered++;
        return false;
      }
      // "Not synced": the admin left this source status on no mapping row.
      if (f.mappedStatus === null) {
        counts.issuesUnmapped++;
        return false;
      }
      return true;
    });
    if (imported.length === 0) return;

    const refs = [...new Set(imported.map((f) => f.endpoint.ref))];
    const assetIds = await apiAssetIdsByRef(tx, ctx, refs);
    const unseen = imported.map((f) => f.endpoint).filter((e) => !assetIds.has(e.ref));
    // A finding on an endpoint the inventory has not listed (yet): create its API asset.
    for (const [ref, id] of await upsertApiAssets(tx, ctx, unseen, counts)) assetIds.set(ref, id);

    const now = new Date();
    const reopened = new Set<string>();
    const rows: IssueInsert[] = [];
    const keptNotes: (typeof statusHistory.$inferInsert)[] = [];
    for (const finding of imported) {
      const assetId = assetIds.get(finding.endpoint.ref);
      if (!assetId) throw new Error(`no API asset for ${finding.endpoint.ref}`);
      const current = existingById.get(finding.externalId);
      let status: IssueStatus;
      let closedReason: string | null = current?.closedReason ?? null;
      if (!current) {
        status = finding.mappedStatus ?? "identified";
      } else if (finding.mappedStatus === null) {
        // No mapping row holds the new source status: the issue keeps its status, and its history says why once.
        status = current.status;
        if (finding.externalStatus !== current.externalStatus) {
          keptNotes.push({
            companyId: ctx.companyId,
            issueId: current.id,
            fromStatus: current.status,
            toStatus: current.status,
            origin: ctx.origin,
            note: `${ctx.sourceName} now reports "${finding.externalStatus}", which no status-mapping row holds; the status is kept.`,
          });
        }
      } else if (current.closedReason === ctx.closedReason) {
        // Closed because it disappeared, and now reported again: it reopens with the source's status.
        status = finding.mappedStatus ?? "identified";
        closedReason = null;
        reopened.add(finding.externalId);
      } else if (current.statusOrigin === "user" && (userDecisionsKept as readonly IssueStatus[]).includes(current.status)) {
        // A person's Risk Accepted / False Positive is a decision, not a state the source can revert. When the
        // source newly disagrees, say so in the history once (the next run sees the same external status).
        status = current.status;
        if (finding.mappedStatus !== current.status && finding.externalStatus !== current.externalStatus) {
          keptNotes.push({
            companyId: ctx.companyId,
            issueId: current.id,
            fromStatus: current.status,
            toStatus: current.status,
            origin: ctx.origin,
            note: `${ctx.sourceName} now reports "${finding.externalStatus}"; the ${issueStatusLabels[current.status]} decision made in Postura is kept.`,
          });
        }
      } else if (
        current.statusOrigin === "user" &&
        !(finding.lastActivityAt !== null && finding.lastActivityAt > current.statusChangedAt)
      ) {
        // Conflict rule: a user's change stands against source activity that is not newer than it.
        status = current.status;
      } else {
        status = finding.mappedStatus;
      }
      rows.push({
        companyId: ctx.companyId,
        assetId,
        domainAssetId: ctx.domainAssetId,
        source: ctx.kind,
        integrationId: ctx.integrationId,
        externalId: finding.externalId,
        title: finding.title,
        severity: finding.severity,
        status,
        category: primaryCategory(finding.categories),
        categories: finding.categories,
        cwe: finding.cwe,
        externalStatus: finding.externalStatus,
        details: finding.details,
        detectedAt: finding.detectedAt,
        lastActivityAt: finding.lastActivityAt,
        statusChangedAt: now,
        statusOrigin: ctx.origin,
        statusChangedBy: null,
        closedReason,
      });
    }

    // The status bookkeeping columns change only together with the status itself.
    const whenStatusChanges = (column: typeof issues.statusChangedAt | typeof issues.statusOrigin | typeof issues.statusChangedBy) =>
      sql`case when ${stored(issues.status)} is distinct from ${proposed(issues.status)} then ${proposed(column)} else ${stored(column)} end`;
    const written = await tx
      .insert(issues)
      .values(rows)
      .onConflictDoUpdate({
        target: [issues.companyId, issues.source, issues.externalId],
        set: {
          assetId: proposed(issues.assetId),
          domainAssetId: proposed(issues.domainAssetId),
          integrationId: proposed(issues.integrationId),
          title: proposed(issues.title),
          severity: proposed(issues.severity),
          status: proposed(issues.status),
          category: proposed(issues.category),
          categories: proposed(issues.categories),
          cwe: proposed(issues.cwe),
          externalStatus: proposed(issues.externalStatus),
          details: proposed(issues.details),
          detectedAt: proposed(issues.detectedAt),
          lastActivityAt: proposed(issues.lastActivityAt),
          closedReason: proposed(issues.closedReason),
          statusChangedAt: whenStatusChanges(issues.statusChangedAt),
          statusOrigin: whenStatusChanges(issues.statusOrigin),
          statusChangedBy: whenStatusChanges(issues.statusChangedBy),
          updatedAt: sql`now()`,
        },
        setWhere: differsFromProposed([
          issues.assetId,
          issues.domainAssetId,
          issues.integrationId,
          issues.title,
          issues.severity,
          issues.status,
          issues.category,
          issues.categories,
          issues.cwe,
          issues.externalStatus,
          issues.details,
          issues.detectedAt,
          issues.lastActivityAt,
          issues.closedReason,
        ]),
      })
      .returning({ id: issues.id, externalId: issues.externalId, status: issues.status, inserted: sql<boolean>`(xmax = 0)` });

    const history: (typeof statusHistory.$inferInsert)[] = [];
    const writtenIds = new Set<string>();
    for (const row of written) {
      const externalId = row.externalId ?? "";
      writtenIds.add(externalId);
      const before = existingById.get(externalId);
      if (row.inserted) {
        counts.issuesCreated++;
        history.push({ companyId: ctx.companyId, issueId: row.id, fromStatus: null, toStatus: row.status, origin: ctx.origin });
        continue;
      }
      if (reopened.has(externalId)) counts.issuesReopened++;
      else counts.issuesUpdated++;
      if (before && before.status !== row.status) {
        history.push({
          companyId: ctx.companyId,
          issueId: row.id,
          fromStatus: before.status,
          toStatus: row.status,
          origin: ctx.origin,
          note: reopened.has(externalId) ? ctx.reopenNote : null,
        });
      }
    }
    for (const row of existing) if (!writtenIds.has(row.externalId ?? "")) counts.issuesUnchanged++;
    history.push(...keptNotes);
    for (const batch of chunks(history, 1000)) await tx.insert(statusHistory).values(batch);
  });
}

// ---- after a complete read ------------------------------------------------------------------------------------

async function closeMissingFindings(tx: Queryable, ctx: RunContext) {
  const candidates = await tx
    .select({ id: issues.id, externalId: issues.externalId, status: issues.status, statusOrigin: issues.statusOrigin })
    .from(issues)
    .where(
      and(
        eq(issues.companyId, ctx.companyId),
        eq(issues.source, ctx.kind),
        eq(issues.domainAssetId, ctx.domainAssetId),
        or(isNull(issues.closedReason), ne(issues.closedReason, ctx.closedReason)),
      ),
    )
    .for("update");
  const gone = candidates.filter(
    (c) =>
      c.externalId !== null &&
      !ctx.seenFindingIds.has(c.externalId) &&
      !(c.statusOrigin === "user" && (userDecisionsKept as readonly IssueStatus[]).includes(c.status)),
  );
  const now = new Date();
  for (const batch of chunks(gone, 1000)) {
    const ids = batch.map((c) => c.id);
    await tx
      .update(issues)
      .set({
        status: "fixed",
        closedReason: ctx.closedReason,
        statusChangedAt: sql`case when ${issues.status} <> 'fixed' then ${now.toISOString()}::timestamptz else ${issues.statusChangedAt} end`,
        statusOrigin: sql`case when ${issues.status} <> 'fixed' then ${ctx.origin}::status_origin else ${issues.statusOrigin} end`,
        statusChangedBy: sql`case when ${issues.status} <> 'fixed' then null else ${issues.statusChangedBy} end`,
        updatedAt: now,
      })
      .where(and(eq(issues.companyId, ctx.companyId), inArray(issues.id, ids)));
    const history = batch
      .filter((c) => c.status !== "fixed")
      .map((c) => ({
        companyId: ctx.companyId,
        issueId: c.id,
        fromStatus: c.status,
        toStatus: "fixed" as const,
        origin: ctx.origin,
        note: ctx.closedReason,
      }));
    if (history.length > 0) await tx.insert(statusHistory).values(history);
  }
  ctx.counts.issuesClosed += gone.length;
}

async function deactivateMissingEndpoints(tx: Queryable, ctx: RunContext) {
  const active = await tx
    .select({ id: assets.id, ref: assets.externalRef })
    .from(assets)
    .where(
      and(
        eq(assets.companyId, ctx.companyId),
        eq(assets.assetType, "api"),
        eq(assets.parentId, ctx.domainAssetId),
        eq(assets.active, true),
      ),
    );
  const gone = active.filter((a) => !ctx.seenEndpointRefs.has(a.ref)).map((a) => a.id);
  for (const ids of chunks(gone, 1000)) {
    await tx
      .update(assets)
      .set({ active: false, updatedAt: new Date() })
      .where(and(eq(assets.companyId, ctx.companyId), inArray(assets.id, ids)));
  }
  ctx.counts.assetsDeactivated += gone.length;
}

/** The domain's own labels and presence, its tags, and one application per label linked to it. */
async function applyDomainLabels(tx: Queryable, ctx: RunContext, domainLabels: string[] | null) {
  const [domain] = await tx
    .select({ labels: assets.labels, active: assets.active })
    .from(assets)
    .where(and(eq(assets.companyId, ctx.companyId), eq(assets.id, ctx.domainAssetId)))
    .for("update");
  // A domain the source no longer knows keeps its last labels and becomes inactive.
  const labels = domainLabels ?? domain?.labels ?? [];
  const active = domainLabels !== null;
  if (domain && (domain.active !== active || domain.labels.join("\n") !== labels.join("\n"))) {
    await tx
      .update(assets)
      .set({ labels, active, updatedAt: new Date() })
      .where(and(eq(assets.companyId, ctx.companyId), eq(assets.id, ctx.domainAssetId)));
    ctx.counts.assetsUpdated++;
    await replaceTags(tx, ctx.companyId, [{ id: ctx.domainAssetId, labels }]);
  }

  const names = [...new Set([...(domainLabels ?? []), ...ctx.seenLabels])].sort();
  if (names.length === 0) return;
  // Add-only: an application may have been linked by hand; a label that disappears does not unlink it.
  await tx
    .insert(applications)
    .values(names.map((name) => ({ companyId: ctx.companyId, name })))
    .onConflictDoNothing();
  const apps = await tx
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.companyId, ctx.companyId), inArray(applications.name, names)));
  await tx
    .insert(assetApplications)
    .values(apps.map((app) => ({ assetId: ctx.domainAssetId, applicationId: app.id, companyId: ctx.companyId })))
    .onConflictDoNothing();
}

// ---- the run --------------------------------------------------------------------------------------------------

async function countDomainIssues(db: Queryable, companyId: string, domainAssetId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(issues)
    .where(and(eq(issues.companyId, companyId), eq(issues.domainAssetId, domainAssetId)));
  return Number(row?.n ?? 0);
}

export async function runDomainSync(db: Database, input: DomainSyncInput, deps: SyncDependencies): Promise<DomainSyncResult> {
  const runId = input.runId ?? randomUUID();
  const identity = { runId, companyId: input.companyId, integrationId: input.integrationId, domain: input.domain, trigger: input.trigger };
  await recordRunStarted(db, identity);
  const counts = emptySyncCounts();
  const skipped: SkippedRecord[] = [];
  let done = 0;
  let domainAssetId: string | null = null;
  let error: DomainSyncResult["error"] = null;
  const started = Date.now();

  try {
    const [integration] = await db
      .select()
      .from(integrations)
      .where(and(eq(integrations.companyId, input.companyId), eq(integrations.id, input.integrationId)));
    if (!integration || integration.state === "removed") {
      throw new SyncStop("integration_removed", "The integration has been removed; nothing was synced.");
    }
    const [domainAsset] = await db
      .select({ id: assets.id })
      .from(assets)
      .where(
        and(
          eq(assets.companyId, input.companyId),
          eq(assets.assetType, "domain"),
          eq(assets.externalRef, input.domain),
          eq(assets.integrationId, input.integrationId),
          eq(assets.syncEnabled, true),
        ),
      );
    if (!domainAsset) {
      throw new SyncStop("domain_not_associated", `${input.domain} is no longer associated with the integration; nothing was synced.`);
    }
    domainAssetId = domainAsset.id;

    const source = await deps.openSource(integration);
    const ctx: RunContext = {
      companyId: input.companyId,
      integrationId: input.integrationId,
      kind: integration.kind,
      domainAssetId: domainAsset.id,
      origin: originOfTrigger[input.trigger],
      severityFilter: integration.settings.severityFilter,
      closedReason: noLongerReportedReason(source),
      reopenNote: `reported again by ${source.displayName}`,
      sourceName: source.displayName,
      counts,
      seenEndpointRefs: new Set(),
      seenFindingIds: new Set(),
      seenLabels: new Set(),
      skipped,
      endpointsUnproven: false,
      findingsUnproven: false,
    };

    const sourceLabels = await source.domainLabels(input.domain);
    const domainLabels = sourceLabels === null ? null : cleanLabels(sourceLabels);
    // An estimate for the progress bar: the source's endpoint count plus the issues the domain had last time.
    let total: number | null =
      ((await source.endpointCountHint(input.domain)) ?? 0) + (await countDomainIssues(db, input.companyId, domainAsset.id));
    const progress = async (rows: number) => {
      done += rows;
      if (total !== null && done > total) total = done;
      await recordRunProgress(db, runId, { done, total, counts });
    };
    await recordRunProgress(db, runId, { done, total, counts });

    for await (const page of source.endpoints(input.domain)) {
      await applyEndpointPage(db, ctx, page);
      await progress(page.records.length + page.skipped.length);
    }
    for await (const page of source.findings(input.domain)) {
      await applyFindingPage(db, ctx, page);
      await progress(page.records.length + page.skipped.length);
    }

    // The read was complete and error-free: absences now mean something — except of a kind where a skipped
    // record's key was unknown (it might be the one that looks absent).
    await db.transaction(async (tx) => {
      if (!ctx.findingsUnproven) await closeMissingFindings(tx, ctx);
      if (!ctx.endpointsUnproven) await deactivateMissingEndpoints(tx, ctx);
      await applyDomainLabels(tx, ctx, domainLabels);
    });
    total = done;
  } catch (caught) {
    error = classify(caught);
    logger.warn("domain sync failed", { runId, domain: input.domain, code: error.code, ...describeError(caught) });
  }

  if (domainAssetId) {
    // Batches already committed count even when the run failed: figures follow the data that is there.
    try {
      await recomputeDomainFigures(db, { companyId: input.companyId, domainAssetId });
      if (!error) {
        // Bookkeeping, not a change of the asset: updated_at stays as it was.
        await db
          .update(assets)
          .set({ lastSyncedAt: new Date() })
          .where(and(eq(assets.companyId, input.companyId), eq(assets.id, domainAssetId)));
      }
    } catch (caught) {
      logger.warn("domain figures not updated", { runId, domain: input.domain, ...describeError(caught) });
      error ??= classify(caught);
    }
  }

  const state: DomainSyncResult["state"] = error ? "failed" : skipped.length > 0 ? "partial" : "succeeded";
  await recordRunFinished(db, runId, {
    counts,
    done,
    error: error ? { code: error.code, message: error.message } : null,
    skipped,
  });
  logger.info("domain sync finished", { runId, domain: input.domain, state, ms: Date.now() - started, ...counts });
  return { runId, state, counts, skipped, error };
}
