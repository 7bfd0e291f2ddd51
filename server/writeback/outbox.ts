// The write-back outbox: a user's status change becomes a row here in the same transaction as the change,
// and a job that tells the source. The row records what happened: pending, done, skipped (and why) or failed.
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import { type Queryable, rowsOf } from "@/db/client";
import { integrations, issues, issueStatusLabels, type IssueStatus, statusHistory, statusWriteBacks } from "@/db/schema";
import { QUEUES } from "@/server/jobs/queues";
import { getBoss } from "@/server/jobs/runtime";

export type StatusWriteBackJobData = { writeBackId: string; companyId: string };

/**
 * `delaySeconds`: the write-back is not sent before then (the row's send_after and the job's startAfter), so the
 * person can undo the change first (server/issues/status.ts).
 */
export type QueueOptions = { boss?: PgBoss; delaySeconds?: number };

/**
 * Called inside the transaction that changed an issue's status by a user. Creates the outbox row and its job
 * (the job exists only if the transaction commits). Issues from no live integration need no write-back.
 */
export async function queueStatusWriteBack(
  tx: Queryable,
  input: { companyId: string; issueId: string; statusHistoryId: string | null; toStatus: IssueStatus },
  options: QueueOptions = {},
): Promise<{ writeBackId: string; state: "pending" | "skipped"; sendAfter: Date } | null> {
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
      // The database's clock, as the undo and the job compare against it (server/writeback/job.ts).
      sendAfter: sql`clock_timestamp() + make_interval(secs => ${options.delaySeconds ?? 0})`,
    })
    .returning({ id: statusWriteBacks.id, state: statusWriteBacks.state, sendAfter: statusWriteBacks.sendAfter });
  if (!row) throw new Error("outbox insert returned nothing");
  if (!skipReason) await sendWriteBackJob(tx, { writeBackId: row.id, companyId: input.companyId }, options);
  return { writeBackId: row.id, state: skipReason ? "skipped" : "pending", sendAfter: row.sendAfter };
}

async function sendWriteBackJob(tx: Queryable, data: StatusWriteBackJobData, options: QueueOptions) {
  const boss = options.boss ?? (await getBoss());
  await boss.send(QUEUES.statusWriteBack, data, {
    ...(options.delaySeconds ? { startAfter: options.delaySeconds } : {}),
    // Inside the caller's transaction: on PGlite (one connection) anything else would deadlock.
    db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql),
  });
}

/** Jobs inserted per pg-boss insert() call when a change covers many issues. */
export const WRITE_BACK_JOB_BATCH = 1000;

/**
 * The set-based twin of queueStatusWriteBack for bulk changes and the expiry job: one outbox row per history row
 * in `historyIds` (those whose issue came from a connected integration), with the same mapping and skip rules,
 * then one job per pending row, inserted WRITE_BACK_JOB_BATCH at a time inside the caller's transaction.
 */
export async function queueWriteBacksForHistory(
  tx: Queryable,
  historyIds: SQL,
  options: QueueOptions = {},
): Promise<{ pending: number; skipped: number }> {
  const labels = JSON.stringify(issueStatusLabels);
  const result = await tx.execute<{ id: string; company_id: string; state: string }>(sql`
    with target as (
      select h.id as history_id, h.company_id, h.issue_id, h.to_status, i.integration_id,
             (g.settings -> 'statusMapping' -> (h.to_status::text) ->> 0) as external_status, g.can_write_back
      from ${statusHistory} h
      join ${issues} i on i.id = h.issue_id and i.company_id = h.company_id
      join ${integrations} g on g.id = i.integration_id and g.company_id = h.company_id
      where h.id in (${historyIds}) and i.external_id is not null and g.state = 'connected'
    ), reasons as (
      select t.*, case
        when t.external_status is null then 'Not synced: ' || (${labels}::jsonb ->> t.to_status::text) || ' has no Salt status in the status mapping.'
        when not t.can_write_back then 'Write-back is off: the Salt API key lacks the perm-executor scope.'
        end as skip_reason
      from target t
    )
    insert into ${statusWriteBacks} (company_id, issue_id, integration_id, status_history_id, to_status, external_status, state, last_error, completed_at, send_after)
    select company_id, issue_id, integration_id, history_id, to_status, external_status,
           (case when skip_reason is null then 'pending' else 'skipped' end)::write_back_state, skip_reason,
           case when skip_reason is null then null else clock_timestamp() end,
           clock_timestamp() + make_interval(secs => ${options.delaySeconds ?? 0})
    from reasons
    returning id, company_id, state`);
  const rows = rowsOf<{ id: string; company_id: string; state: string }>(result);
  const pending = rows.filter((r) => r.state === "pending");
  if (pending.length > 0) {
    const boss = options.boss ?? (await getBoss());
    const db = fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql);
    for (let i = 0; i < pending.length; i += WRITE_BACK_JOB_BATCH) {
      await boss.insert(
        QUEUES.statusWriteBack,
        pending.slice(i, i + WRITE_BACK_JOB_BATCH).map((r) => ({
          data: { writeBackId: r.id, companyId: r.company_id } satisfies StatusWriteBackJobData,
          ...(options.delaySeconds ? { startAfter: options.delaySeconds } : {}),
        })),
        { db },
      );
    }
  }
  return { pending: pending.length, skipped: rows.length - pending.length };
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
