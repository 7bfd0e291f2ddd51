/**
 * A connector import (Tenable.io today): the host findings of one export, through the same ingest statements,
 * sanitiser and refusal isolation as the domain sync (engine.ts) — only the reading differs. A vulnerability
 * scanner reports hosts for the whole company in one read, so there is one run per import, not per domain.
 *
 * - Each page (one export chunk) first makes its hosts assets (ingestHosts: a host whose fqdn is an FQDN asset IS
 *   that asset), then its findings issues on them (ingestFindings). Every write is conditional: an unchanged
 *   re-import writes no asset, issue or history row.
 * - The source says FIXED itself: a fixed finding closes its issue as Fixed, a later open result reopens it with a
 *   history row. Nothing is closed for being absent (peers' mis-closures came from exactly that).
 * - Progress is the export's chunks read of its total; a member's cancel stops the export after the chunk in hand.
 *   The run always ends: succeeded, partial (records skipped, named) or failed (classified; "cancelled" included),
 *   and pages already written stay.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { assets, integrations, type SyncCounts, syncRuns, type SyncTrigger } from "@/db/schema";
import { describeError } from "@/server/error-fields";
import { logger } from "@/server/logger";
import { applyIsolatingRefusals, classify, type DomainSyncResult, type RecordLedger, skip, SyncStop } from "./engine";
import { recomputeDomainFigures, recomputeHostFigures } from "./figures";
import { type IngestScope, ingestFindings, ingestHosts, knownHostNodes } from "./ingest";
import { refreshPlannerStatistics } from "./statistics";
import { addCounts, emptySyncCounts, recordRunFinished, recordRunProgress, recordRunStarted } from "./runs";
import { cleanFinding } from "./sanitise";
import type { HostSyncProgress, HostSyncSource, SourceFinding, SourceHost } from "./types";

type IntegrationRow = typeof integrations.$inferSelect;

/** The `domain` a connector import's run is recorded under (one run covers every host). */
export const HOST_IMPORT_RUN_DOMAIN = "all hosts";

/**
 * Findings per ingest statement. Small enough that a statement's rows (about 1 kB each with a plugin's texts) stay in
 * PostgreSQL's work_mem (4 MB by default) through its CTEs, and that its JSON parameter is a few MB; large enough that
 * a round trip is a small part of it.
 */
export const WRITE_BATCH = 1000;

/**
 * Iterates `pages` one page ahead: the next page is fetched and parsed while this one is written, so reading and
 * writing overlap, with at most two pages in memory. When the consumer stops early, a read in flight is not waited
 * for (it may be a poll of an export that is still processing): the source is closed once that read settles, and the
 * caller stops the source itself (HostSyncSource.cancel).
 */
export async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<T>> | null = iterator.next();
  try {
    for (;;) {
      const current: IteratorResult<T> = await next;
      next = null;
      if (current.done) return;
      next = iterator.next();
      // Settled later, or never taken when the consumer stops first: not an unhandled rejection meanwhile.
      next.catch(() => {});
      yield current.value;
    }
  } finally {
    if (next) void next.then(() => iterator.return?.()).catch(() => {});
  }
}

export type HostSourceContext = {
  knownNodes: { node: string; fqdn?: string; ipv4?: string }[];
  onProgress: (progress: HostSyncProgress) => void;
};

export type HostImportDependencies = {
  openSource: (integration: IntegrationRow, context: HostSourceContext) => HostSyncSource | Promise<HostSyncSource>;
};

export type HostImportInput = { companyId: string; integrationId: string; runId: string; trigger: SyncTrigger };

async function cancelRequested(db: Database, runId: string): Promise<boolean> {
  const [row] = await db.select({ at: syncRuns.cancelRequestedAt }).from(syncRuns).where(eq(syncRuns.id, runId));
  return Boolean(row?.at);
}

export async function runHostImport(db: Database, input: HostImportInput, deps: HostImportDependencies): Promise<DomainSyncResult> {
  const { runId } = input;
  const { startedAt } = await recordRunStarted(db, { ...input, domain: HOST_IMPORT_RUN_DOMAIN });
  const counts: SyncCounts = emptySyncCounts();
  const ledger: RecordLedger = { counts, seenFindingIds: new Set(), skipped: [], endpointsUnproven: false, findingsUnproven: false };
  const touchedHosts = new Set<string>();
  let progress: HostSyncProgress = { done: 0, total: null, exportRef: null };
  let pagesRead = 0;
  let openedSource: HostSyncSource | null = null;
  let error: DomainSyncResult["error"] = null;
  const started = Date.now();

  const writeProgress = async () => {
    await recordRunProgress(db, runId, { done: progress.done, total: progress.total, counts });
    if (progress.exportRef) await db.update(syncRuns).set({ exportRef: progress.exportRef }).where(eq(syncRuns.id, runId));
  };

  try {
    const [integration] = await db
      .select()
      .from(integrations)
      .where(and(eq(integrations.companyId, input.companyId), eq(integrations.id, input.integrationId)));
    if (!integration || integration.state === "removed") {
      throw new SyncStop("integration_removed", "The connector has been removed; nothing was imported.");
    }
    if (await cancelRequested(db, runId)) throw new SyncStop("cancelled", "Cancelled before the import started; nothing was imported.");

    const source = await deps.openSource(integration, {
      knownNodes: await knownHostNodes(db, input.companyId),
      onProgress: (p) => {
        progress = { ...p, done: pagesRead };
      },
    });
    openedSource = source;
    const scope: IngestScope = {
      companyId: input.companyId,
      integrationId: input.integrationId,
      kind: integration.kind,
      domainAssetId: null,
      origin: "sync",
      explicitFixes: true,
      severityFilter: integration.settings.severityFilter,
      closedReason: `reported fixed by ${source.displayName}`,
      reopenNote: `reopened in ${source.displayName}`,
      sourceName: source.displayName,
    };

    for await (const page of readAhead(source.findings())) {
      for (const record of page.skipped) skip(ledger, record);
      // One import grows the tables by up to 100,000 rows: keep their statistics in step (statistics.ts).
      await refreshPlannerStatistics(db);
      // A page (an export chunk) is written in batches: the statement's JSON and its working set in PostgreSQL stay
      // the size of a batch however many findings Tenable puts in a chunk.
      for (let start = 0; start < page.records.length; start += WRITE_BATCH) {
        const findings: SourceFinding[] = [];
        const hosts = new Map<string, SourceHost>();
        for (const raw of page.records.slice(start, start + WRITE_BATCH)) {
          const cleaned = cleanFinding(raw);
          if (!cleaned.ok) {
            skip(ledger, cleaned.skipped);
            continue;
          }
          const host = cleaned.value.host;
          if (!host) {
            skip(ledger, { kind: "finding", id: cleaned.value.externalId, reason: "it names no host" });
            continue;
          }
          hosts.set(host.ref, host);
          findings.push(cleaned.value);
        }
        const written = await ingestHosts(db, scope, [...hosts.values()]);
        addCounts(counts, written.counts);
        for (const id of written.assetIds.values()) touchedHosts.add(id);
        await applyIsolatingRefusals(
          ledger,
          findings,
          (batch) => ingestFindings(db, scope, batch, written.assetIds),
          (finding) => ({ kind: "finding", id: finding.externalId, known: true }),
        );
      }
      // Done is what is written: the source has read one page ahead (readAhead), and reports reads, not writes.
      pagesRead++;
      progress = { ...progress, done: pagesRead };
      await writeProgress();
      if (await cancelRequested(db, runId)) {
        await source.cancel();
        throw new SyncStop(
          "cancelled",
          `Cancelled by a member after ${progress.done}${progress.total === null ? "" : ` of ${progress.total}`} chunks; what was read is kept.`,
        );
      }
    }
  } catch (caught) {
    error = classify(caught);
    logger.warn("connector import failed", { runId, code: error.code, ...describeError(caught) });
    // A run that stops early (a write failed) leaves no export running in Tenable and no read going on here. (A
    // member's cancel has done this already.)
    if (!(caught instanceof SyncStop && caught.code === "cancelled")) await openedSource?.cancel().catch(() => {});
  }

  // Pages already committed count even when the run failed: figures follow the data that is there.
  const readDoneAt = Date.now();
  try {
    // Host assets have no children: their figures are computed together. An FQDN asset a host matched also has
    // its API assets under it: computed the domain's way.
    const touched = [...touchedHosts];
    const fqdnAssets = touched.length
      ? (await db.select({ id: assets.id }).from(assets).where(and(eq(assets.companyId, input.companyId), inArray(assets.id, touched), eq(assets.assetType, "domain")))).map((a) => a.id)
      : [];
    const fqdnSet = new Set(fqdnAssets);
    await recomputeHostFigures(db, { companyId: input.companyId, assetIds: touched.filter((id) => !fqdnSet.has(id)) });
    for (const assetId of fqdnAssets) await recomputeDomainFigures(db, { companyId: input.companyId, domainAssetId: assetId });
  } catch (caught) {
    logger.warn("host figures not updated", { runId, ...describeError(caught) });
    error ??= classify(caught);
  }

  await recordRunFinished(db, runId, {
    counts,
    // A finished run's bar is full at the chunks read.
    done: progress.done,
    error: error ? { code: error.code, message: error.message } : null,
    skipped: ledger.skipped,
  });
  const state: DomainSyncResult["state"] = error ? "failed" : ledger.skipped.length > 0 ? "partial" : "succeeded";
  logger.info("connector import finished", { runId, state, ms: Date.now() - started, figuresMs: Date.now() - readDoneAt, ...counts });
  return { runId, state, counts, skipped: ledger.skipped, error, startedAt };
}
