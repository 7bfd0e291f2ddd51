// The write-back outbox: a user's status change becomes a row here in the same transaction as the change,
// and a job that tells the source. The row records what happened: pending, done, skipped (and why) or failed.
import { and, desc, eq, sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import type { Queryable } from "@/db/client";
import { integrations, issues, issueStatusLabels, type IssueStatus, statusWriteBacks } from "@/db/schema";
import { QUEUES } from "@/server/jobs/queues";
import { getBoss } from "@/server/jobs/runtime";

export type StatusWriteBackJobData = { writeBackId: string; companyId: string };

export type QueueOptions = { boss?: PgBoss };

/**
 * Called inside the transaction that changed an issue's status by a user. Creates the outbox row and its job
 * (the job exists only if the transaction commits). Issues from no live integration need no write-back.
 */
export async function queueStatusWriteBack(
  tx: Queryable,
  input: { companyId: string; issueId: string; statusHistoryId: string | null; toStatus: IssueStatus },
  options: QueueOptions = {},
): Promise<{ writeBackId: string; state: "pending" | "skipped" } | null> {
  const [target] = await tx
    .select({ integration: integrations, externalId: issues.externalId })
    .from(issues)
    .innerJoin(integrations, eq(integrations.id, issues.integrationId))
    .where(and(eq(issues.companyId, input.companyId), eq(issues.id, input.issueId)));
  if (!target || !target.externalId || target.integration.state !== "connected") return null;
  // Tenable.io has no status to write back: its FIXED comes from the next scan, and the next import reads it.
  if (target.integration.kind !== "salt_security") return null;

  // Only the first Salt status of the row is written back; an empty row means "not synced".
  const externalStatus = target.integration.settings.statusMapping[input.toStatus]?.[0] ?? null;
  const skipReason = !externalStatus
    ? `Not synced: ${issueStatusLabels[input.toStatus]} has no Salt status in the status mapping.`
    : !target.integration.canWriteBack
      ? "Write-back is off: the Salt API key lacks the perm-executor scope."
      : null;

  const [row] = await tx
    .insert(statusWriteBacks)
    .values({
      companyId: input.companyId,
      issueId: input.issueId,
      integrationId: target.integration.id,
      statusHistoryId: input.statusHistoryId,
      toStatus: input.toStatus,
      externalStatus,
      state: skipReason ? "skipped" : "pending",
      lastError: skipReason,
      completedAt: skipReason ? new Date() : null,
    })
    .returning({ id: statusWriteBacks.id, state: statusWriteBacks.state });
  if (!row) throw new Error("outbox insert returned nothing");
  if (!skipReason) await sendWriteBackJob(tx, { writeBackId: row.id, companyId: input.companyId }, options);
  return { writeBackId: row.id, state: skipReason ? "skipped" : "pending" };
}

async function sendWriteBackJob(tx: Queryable, data: StatusWriteBackJobData, options: QueueOptions) {
  const boss = options.boss ?? (await getBoss());
  await boss.send(QUEUES.statusWriteBack, data, {
    // Inside the caller's transaction: on PGlite (one connection) anything else would deadlock.
    db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql),
  });
}

/** The Retry action: a failed write-back goes back to pending with a fresh job. */
export async function retryWriteBack(
  tx: Queryable,
  { companyId, issueId }: { companyId: string; issueId: string },
  options: QueueOptions = {},
): Promise<{ writeBackId: string } | null> {
  const latest = await latestWriteBack(tx, { companyId, issueId });
  if (!latest || latest.state !== "failed") return null;
  await tx
    .update(statusWriteBacks)
    .set({ state: "pending", lastError: null, attempts: 0, updatedAt: new Date() })
    .where(and(eq(statusWriteBacks.companyId, companyId), eq(statusWriteBacks.id, latest.id)));
  await sendWriteBackJob(tx, { writeBackId: latest.id, companyId }, options);
  return { writeBackId: latest.id };
}

export async function latestWriteBack(db: Queryable, { companyId, issueId }: { companyId: string; issueId: string }) {
  const [row] = await db
    .select()
    .from(statusWriteBacks)
    .where(and(eq(statusWriteBacks.companyId, companyId), eq(statusWriteBacks.issueId, issueId)))
    .orderBy(desc(statusWriteBacks.createdAt), desc(statusWriteBacks.id))
    .limit(1);
  return row ?? null;
}
