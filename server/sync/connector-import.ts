// Queuing, working and cancelling connector imports (Tenable.io). One job = one run (host-import.ts).
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Job, PgBoss } from "pg-boss";
import type { Database, Queryable } from "@/db/client";
import { getLiveIntegration } from "@/db/queries/integrations";
import { syncRuns } from "@/db/schema";
import { type AuditActor, recordAudit } from "@/server/audit";
import { QUEUES } from "@/server/jobs/queues";
import { getBoss } from "@/server/jobs/runtime";
import { addLogContext } from "@/server/logger";
import { observeSyncRun } from "@/server/metrics";
import { HOST_IMPORT_RUN_DOMAIN, type HostImportDependencies, runHostImport } from "./host-import";
import { recordQueuedRun, runIdForAttempt } from "./runs";
import { defaultHostImportDependencies } from "./sources";

export type ConnectorImportJobData = { companyId: string; integrationId: string; runId: string };

export class ConnectorNotConfiguredError extends Error {
  constructor() {
    super("Save the Tenable.io connector (its API keys) before importing.");
  }
}

/**
 * Queues an import of the company's Tenable.io connector. When one is already waiting, that one covers this
 * request too (`queued: false`, its run id returned).
 */
export async function requestConnectorImport(
  db: Queryable,
  { companyId, actor }: { companyId: string; actor?: AuditActor },
  options: { boss?: PgBoss } = {},
): Promise<{ queued: boolean; runId: string }> {
  const connector = await getLiveIntegration(db, { companyId, kind: "tenable_io" });
  if (!connector || connector.state !== "connected" || !connector.credentialsEncrypted) throw new ConnectorNotConfiguredError();
  const boss = options.boss ?? (await getBoss());
  const data: ConnectorImportJobData = { companyId, integrationId: connector.id, runId: randomUUID() };
  const jobId = await boss.send(QUEUES.connectorImport, data, { singletonKey: connector.id });
  if (!jobId) {
    const [waiting] = await db
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(and(eq(syncRuns.companyId, companyId), eq(syncRuns.integrationId, connector.id), eq(syncRuns.state, "queued")))
      .orderBy(desc(syncRuns.queuedAt))
      .limit(1);
    return { queued: false, runId: waiting?.id ?? data.runId };
  }
  await recordQueuedRun(db, { ...data, domain: HOST_IMPORT_RUN_DOMAIN, trigger: "manual" });
  if (actor) {
    await recordAudit(db, {
      companyId,
      actor,
      action: "integration.import_requested",
      target: { type: "integration", id: connector.id, label: "Tenable.io" },
      details: { runId: data.runId },
    });
  }
  return { queued: true, runId: data.runId };
}

/** Asks a queued or running import to stop; the worker stops after the chunk in hand. False when it has ended. */
export async function requestImportCancel(db: Queryable, { companyId, runId }: { companyId: string; runId: string }): Promise<boolean> {
  const rows = await db
    .update(syncRuns)
    .set({ cancelRequestedAt: new Date() })
    .where(and(eq(syncRuns.companyId, companyId), eq(syncRuns.id, runId), inArray(syncRuns.state, ["queued", "running"])))
    .returning({ id: syncRuns.id });
  return rows.length > 0;
}

export function createConnectorImportHandler(getDatabase: () => Database, deps: HostImportDependencies = defaultHostImportDependencies) {
  return async (jobs: Job<unknown>[]) => {
    for (const job of jobs) {
      const data = job.data as ConnectorImportJobData;
      // A retry after a crash (SIGKILL) gets its own run; recordRunStarted closes the dead one as worker_stopped.
      const runId = await runIdForAttempt(getDatabase(), { companyId: data.companyId, runId: data.runId, retryCount: job.retryCount });
      addLogContext({ runId });
      const started = performance.now();
      const result = await runHostImport(getDatabase(), { ...data, runId, trigger: "manual" }, deps);
      observeSyncRun(result.state, (performance.now() - started) / 1000);
    }
  };
}
