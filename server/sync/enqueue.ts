// Putting domain syncs on the queue. One `stately` job per integration + domain: a burst of triggers coalesces
// into one queued job, and a trigger that arrives while the domain's run is in progress guarantees one more run.
import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import type { Queryable } from "@/db/client";
import { assets, type SyncTrigger } from "@/db/schema";
import { getDb } from "@/server/db";
import { QUEUES } from "@/server/jobs/queues";
import { getBoss } from "@/server/jobs/runtime";
import { recordQueuedRun } from "./runs";
import type { DomainSyncJobData } from "./types";

export type EnqueueOptions = {
  /** Enqueue inside this transaction: the job (and its run record) exist only if the transaction commits. */
  db?: Queryable;
  /** The queue to use (tests pass their own); defaults to the process's queue. */
  boss?: PgBoss;
};

export function domainSyncKey(integrationId: string, domain: string): string {
  return `${integrationId}:${domain}`;
}

/**
 * Queues a sync of one domain. `queued: false` means a run for the domain was already waiting and will cover
 * this trigger too (nothing is lost: a waiting job has not started reading yet).
 */
export async function enqueueDomainSync(
  input: { companyId: string; integrationId: string; domain: string; trigger: SyncTrigger },
  options: EnqueueOptions = {},
): Promise<{ queued: boolean; runId: string | null }> {
  const boss = options.boss ?? (await getBoss());
  const data: DomainSyncJobData = { ...input, runId: randomUUID() };
  const jobId = await boss.send(QUEUES.domainSync, data, {
    singletonKey: domainSyncKey(input.integrationId, input.domain),
    // Our Database type leaves execute()'s result unknown; at runtime it is what pg-boss's adapter reads.
    ...(options.db ? { db: fromDrizzle(options.db as unknown as Parameters<typeof fromDrizzle>[0], sql) } : {}),
  });
  if (!jobId) return { queued: false, runId: null };
  await recordQueuedRun(options.db ?? getDb(), { ...input, runId: data.runId });
  return { queued: true, runId: data.runId };
}

/** Re-pulls every domain associated with the integration: one job per domain, worked with bounded concurrency. */
export async function enqueueFullSync(
  input: { companyId: string; integrationId: string; trigger: SyncTrigger },
  options: EnqueueOptions = {},
): Promise<{ domains: string[]; queued: number }> {
  const db = options.db ?? getDb();
  const domains = await db
    .select({ domain: assets.externalRef })
    .from(assets)
    .where(
      and(
        eq(assets.companyId, input.companyId),
        eq(assets.integrationId, input.integrationId),
        eq(assets.assetType, "domain"),
        eq(assets.syncEnabled, true),
      ),
    )
    .orderBy(asc(assets.externalRef));
  let queued = 0;
  for (const { domain } of domains) {
    const result = await enqueueDomainSync({ ...input, domain }, options);
    if (result.queued) queued++;
  }
  return { domains: domains.map((d) => d.domain), queued };
}
