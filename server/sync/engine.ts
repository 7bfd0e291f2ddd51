/**
 * The ingest core: the inbound sync of one associated domain from any source behind the `SyncSource` seam
 * (types.ts) — Salt Security today, any later scanner the same way. The source's endpoints become API assets
 * under the domain's FQDN asset, its findings become issues on them.
 *
 * - Streams pages and never holds a domain in memory (only the keys it has seen, for the absence check). Each page
 *   goes to the database as one JSON parameter applied by one set-based statement (ingest.ts), so a crash leaves
 *   either the old or the new state of a page. Every write is conditional (`is distinct from`), so re-running on
 *   unchanged data writes no asset or issue row and changes no `updated_at`. No row is locked in advance: the
 *   conflict rule is a predicate evaluated on the issue row as PostgreSQL updates it (see ingest.ts).
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
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Database, Queryable } from "@/db/client";
import {
  applications,
  assetApplications,
  assets,
  assetTags,
  integrations,
  type SkippedRecord,
  type StatusOrigin,
  type SyncCounts,
  type SyncTrigger,
} from "@/db/schema";
import { applicationLabelPrefix, applicationsFromLabels } from "@/lib/application-labels";
import { describeError } from "@/server/error-fields";
import { kickDueForwarding } from "@/server/forwarding/outbox";
import { logger } from "@/server/logger";
import { recomputeDomainFigures } from "./figures";
import { noteRowsWritten, refreshPlannerStatisticsIfDue } from "./statistics";
import { addCounts, emptySyncCounts, recordRunFinished, recordRunProgress, recordRunStarted } from "./runs";
import { cleanEndpoint, cleanFinding, cleanLabels, cleanLine, cleanText } from "./sanitise";
import { closeAbsences, type IngestScope, ingestEndpoints, ingestFindings } from "./ingest";
import { chunks, recordRefusedByDatabase, rowsOf, sqlState } from "./sql";
import {
  noLongerReportedReason,
  type SourceEndpoint,
  type SourceFinding,
  type SourcePage,
  type SyncSource,
} from "./types";

type IntegrationRow = typeof integrations.$inferSelect;

const PROGRESS_INTERVAL_MS = 500;

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
  /** When the run started, on the database's clock. */
  startedAt: Date;
  /** The integration's webhook warning as the run read it at its start (absent when the run stopped before). */
  warningAtStart?: IntegrationRow["webhookWarning"];
};

/** Who changed a status, in the status history's words, for each kind of run. */
export const originOfTrigger: Record<SyncTrigger, StatusOrigin> = {
  first_sync: "sync",
  manual: "sync",
  webhook: "webhook",
  reconciliation: "reconciliation",
};


/** What a run keeps about the records it took and skipped (the domain sync and the host import alike). */
export type RecordLedger = {
  counts: SyncCounts;
  seenFindingIds: Set<string>;
  /** Skipped records, in order (the run stores the first ones; counts.recordsSkipped has them all). */
  skipped: SkippedRecord[];
  /** A skipped record's key was unknown: the read cannot prove an absence of that kind. */
  endpointsUnproven: boolean;
  findingsUnproven: boolean;
};

type RunContext = IngestScope &
  RecordLedger & {
    domainAssetId: string;
    seenEndpointRefs: Set<string>;
    seenLabels: Set<string>;
    /** Labels starting with this name applications (lib/application-labels.ts). */
    applicationLabelPrefix: string;
  };

/** A run that stops for a reason the user must act on (not retried). */
export class SyncStop extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function classify(error: unknown): { code: string; message: string; retryable: boolean } {
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

// ---- pages -----------------------------------------------------------------------------------------------------

/** Tags mirror an asset's labels (used for the domain itself; API assets' tags follow in ingest.ts). */
async function replaceTags(tx: Queryable, companyId: string, changed: { id: string; labels: string[] }[]) {
  if (changed.length === 0) return;
  await tx.delete(assetTags).where(and(eq(assetTags.companyId, companyId), inArray(assetTags.assetId, changed.map((a) => a.id))));
  const rows = changed.flatMap((a) => a.labels.map((tag) => ({ assetId: a.id, companyId, tag })));
  for (const batch of chunks(rows, 1000)) await tx.insert(assetTags).values(batch).onConflictDoNothing();
}

async function applyEndpointPage(db: Database, ctx: RunContext, page: SourcePage<SourceEndpoint>) {
  for (const record of page.skipped) skip(ctx, record);
  const byRef = new Map<string, SourceEndpoint>();
  for (const raw of page.records) {
    const cleaned = cleanEndpoint(raw);
    if (!cleaned.ok) {
      skip(ctx, cleaned.skipped);
      continue;
    }
    byRef.set(cleaned.value.ref, cleaned.value);
    ctx.seenEndpointRefs.add(cleaned.value.ref);
    for (const label of cleaned.value.labels) ctx.seenLabels.add(label);
  }
  await applyIsolatingRefusals(ctx, [...byRef.values()], (batch) => ingestEndpoints(db, ctx, batch), (endpoint) => ({
    kind: "endpoint",
    id: endpoint.name,
    known: true,
  }));
}

async function applyFindingPage(db: Database, ctx: RunContext, page: SourcePage<SourceFinding>) {
  for (const record of page.skipped) skip(ctx, record);
  const byId = new Map<string, SourceFinding>();
  for (const raw of page.records) {
    const result = cleanFinding(raw);
    if (!result.ok) {
      skip(ctx, result.skipped);
      continue;
    }
    byId.set(result.value.externalId, result.value);
    ctx.seenFindingIds.add(result.value.externalId);
    const endpoint = result.value.endpoint;
    if (endpoint) {
      ctx.seenEndpointRefs.add(endpoint.ref);
      for (const label of endpoint.labels) ctx.seenLabels.add(label);
    }
  }
  await applyIsolatingRefusals(ctx, [...byId.values()], (batch) => ingestFindings(db, ctx, batch), (finding) => ({
    kind: "finding",
    id: finding.externalId,
    known: true,
  }));
}

// ---- records that cannot be taken ----------------------------------------------------------------------------

/** Names a skipped record in the run. A record whose key is unknown leaves absences of its kind unproven. */
export function skip(ctx: RecordLedger, record: SkippedRecord, keyKnown = record.kind === "finding" && record.id !== null) {
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
export async function applyIsolatingRefusals<T>(
  ctx: RecordLedger,
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

// ---- after a complete read ------------------------------------------------------------------------------------

/**
 * The domain's own labels and presence, its tags, and the applications its labels name, linked to it. One read
 * when all of that is already in place (an unchanged re-sync); a transaction that puts it in place otherwise.
 */
async function applyDomainLabels(db: Database, ctx: RunContext, domainLabels: string[] | null) {
  const names = applicationsFromLabels([...(domainLabels ?? []), ...ctx.seenLabels], ctx.applicationLabelPrefix);
  const [current] = rowsOf<{ labels: string[]; active: boolean; linked: string[] }>(
    await db.execute(sql`
      select a.labels, a.active, array(
        select ap.name from asset_applications l join applications ap on ap.id = l.application_id and ap.company_id = l.company_id
        where l.company_id = a.company_id and l.asset_id = a.id) as linked
      from assets a where a.company_id = ${ctx.companyId}::uuid and a.id = ${ctx.domainAssetId}::uuid`),
  );
  if (current) {
    const linked = new Set(current.linked);
    const inPlace =
      domainLabels === null
        ? !current.active && names.every((n) => linked.has(n))
        : current.active && current.labels.join("\n") === domainLabels.join("\n") && linked.size === names.length && names.every((n) => linked.has(n));
    if (inPlace) return;
  }
  await db.transaction((tx) => putDomainLabels(tx, ctx, domainLabels, names));
}

async function putDomainLabels(tx: Queryable, ctx: RunContext, domainLabels: string[] | null, names: string[]) {
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

  // The domain's applications are what its labels name now: a label that went away, or a changed rule, unlinks.
  // (An application left with no asset stays as a row, out of every list, so a concurrent sync linking it is safe.)
  if (domainLabels !== null) {
    await tx.delete(assetApplications).where(
      and(
        eq(assetApplications.companyId, ctx.companyId),
        eq(assetApplications.assetId, ctx.domainAssetId),
        names.length === 0
          ? sql`true`
          : notInArray(
              assetApplications.applicationId,
              tx.select({ id: applications.id }).from(applications).where(and(eq(applications.companyId, ctx.companyId), inArray(applications.name, names))),
            ),
      ),
    );
  }
  if (names.length === 0) return;
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

/** Counts that mean the run wrote asset or issue rows (the figures and the forwarding outbox follow those). */
const WRITE_COUNTS = ["assetsCreated", "assetsUpdated", "assetsDeactivated", "issuesCreated", "issuesUpdated", "issuesClosed", "issuesReopened"] as const;

export function wroteRows(counts: SyncCounts): boolean {
  return WRITE_COUNTS.some((key) => (counts[key] ?? 0) > 0);
}

export async function runDomainSync(db: Database, input: DomainSyncInput, deps: SyncDependencies): Promise<DomainSyncResult> {
  const runId = input.runId ?? randomUUID();
  const identity = { runId, companyId: input.companyId, integrationId: input.integrationId, domain: input.domain, trigger: input.trigger };
  const start = await recordRunStarted(db, identity);
  const counts = emptySyncCounts();
  const skipped: SkippedRecord[] = [];
  let done = 0;
  let domainAssetId: string | null = null;
  let warningAtStart: IntegrationRow["webhookWarning"] | undefined;
  let error: DomainSyncResult["error"] = null;
  const started = Date.now();

  try {
    // The integration, the domain's asset and its issue count (the progress estimate) in one read.
    const [found] = await db
      .select({
        integration: integrations,
        domainAssetId: sql<string | null>`(${db
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
          )
          .limit(1)})`,
        issueCount: sql<number>`(select count(*)::int from issues i where i.company_id = ${input.companyId}::uuid and i.domain_asset_id = (${db
          .select({ id: assets.id })
          .from(assets)
          .where(and(eq(assets.companyId, input.companyId), eq(assets.assetType, "domain"), eq(assets.externalRef, input.domain), eq(assets.integrationId, input.integrationId)))
          .limit(1)}))`,
      })
      .from(integrations)
      .where(and(eq(integrations.companyId, input.companyId), eq(integrations.id, input.integrationId)));
    const integration = found?.integration;
    if (!integration || integration.state === "removed") {
      throw new SyncStop("integration_removed", "The integration has been removed; nothing was synced.");
    }
    warningAtStart = integration.webhookWarning;
    if (!found.domainAssetId) {
      throw new SyncStop("domain_not_associated", `${input.domain} is no longer associated with the integration; nothing was synced.`);
    }
    domainAssetId = found.domainAssetId;

    // Statistics first: this run's lookups are planned on them (statistics.ts).
    await refreshPlannerStatisticsIfDue(db);
    const source = await deps.openSource(integration);
    const ctx: RunContext = {
      companyId: input.companyId,
      integrationId: input.integrationId,
      kind: integration.kind,
      domainAssetId,
      origin: originOfTrigger[input.trigger],
      severityFilter: integration.settings.severityFilter,
      closedReason: noLongerReportedReason(source),
      reopenNote: `reported again by ${source.displayName}`,
      sourceName: source.displayName,
      counts,
      seenEndpointRefs: new Set(),
      seenFindingIds: new Set(),
      seenLabels: new Set(),
      applicationLabelPrefix: applicationLabelPrefix(integration.settings),
      skipped,
      endpointsUnproven: false,
      findingsUnproven: false,
    };

    const sourceLabels = await source.domainLabels(input.domain);
    const domainLabels = sourceLabels === null ? null : cleanLabels(sourceLabels);
    // An estimate for the progress bar: the source's endpoint count plus the issues the domain had last time.
    let total: number | null = ((await source.endpointCountHint(input.domain)) ?? 0) + Number(found.issueCount ?? 0);
    // Progress is written at most every PROGRESS_INTERVAL_MS, the first time after that long: a bar needs no more,
    // each write is a round trip, and a domain that syncs faster shows its end at once.
    let progressAt = Date.now();
    const progress = async (rows: number) => {
      done += rows;
      if (total !== null && done > total) total = done;
      if (Date.now() - progressAt < PROGRESS_INTERVAL_MS) return;
      progressAt = Date.now();
      await recordRunProgress(db, runId, { done, total, counts });
    };

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
    const gone = await closeAbsences(db, ctx, {
      findingIds: ctx.findingsUnproven ? null : ctx.seenFindingIds,
      endpointRefs: ctx.endpointsUnproven ? null : ctx.seenEndpointRefs,
    });
    counts.issuesClosed += gone.issuesClosed;
    counts.assetsDeactivated += gone.assetsDeactivated;
    await applyDomainLabels(db, ctx, domainLabels);
    total = done;
  } catch (caught) {
    error = classify(caught);
    logger.warn("domain sync failed", { runId, domain: input.domain, code: error.code, ...describeError(caught) });
  }

  const wrote = wroteRows(counts);
  if (wrote) noteRowsWritten(1);
  // The figures follow the open issues, which only this run's writes can have changed — unless the domain's last run
  // did not end well (it may have died between its writes and its figures) or this one failed (batches already
  // committed count even when the run failed: figures follow the data that is there).
  if (domainAssetId && (wrote || error || !start.previousRunCompleted)) {
    try {
      await recomputeDomainFigures(db, { companyId: input.companyId, domainAssetId });
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
    // The domain's "last synced" moves with a successful run's end, in the same statement.
    ...(domainAssetId && !error ? { stamp: { companyId: input.companyId, assetId: domainAssetId } } : {}),
  });
  logger.info("domain sync finished", { runId, domain: input.domain, state, ms: Date.now() - started, ...counts });
  // The run's statements queued changed issues for forwarding; start the receiving integrations' pushes. A run that
  // wrote nothing queued nothing (the forward sweep restarts anything else that is due).
  if (wrote) {
    await kickDueForwarding(db, { companyId: input.companyId }).catch((caught: unknown) =>
      logger.warn("forwarding not started after sync", { runId, ...describeError(caught) }),
    );
  }
  return { runId, state, counts, skipped, error, startedAt: start.startedAt, ...(warningAtStart !== undefined ? { warningAtStart } : {}) };
}
