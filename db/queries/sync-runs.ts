// Sync run records, always scoped to a company: the UI's run list and progress bar read these.
import { and, desc, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { syncRuns } from "@/db/schema";

export async function listSyncRuns(
  db: Queryable,
  { companyId, integrationId, limit = 50 }: { companyId: string; integrationId: string; limit?: number },
) {
  return db
    .select({
      id: syncRuns.id,
      trigger: syncRuns.trigger,
      domain: syncRuns.domain,
      state: syncRuns.state,
      counts: syncRuns.counts,
      progressDone: syncRuns.progressDone,
      progressTotal: syncRuns.progressTotal,
      errorCode: syncRuns.errorCode,
      errorMessage: syncRuns.errorMessage,
      queuedAt: syncRuns.queuedAt,
      startedAt: syncRuns.startedAt,
      finishedAt: syncRuns.finishedAt,
    })
    .from(syncRuns)
    .where(and(eq(syncRuns.companyId, companyId), eq(syncRuns.integrationId, integrationId)))
    .orderBy(desc(syncRuns.queuedAt), desc(syncRuns.id))
    .limit(limit);
}
