// Works one outbox row: tells the source the issue's new status, once. Retries transient failures through the
// queue (with backoff); after the last attempt the row is failed with a reason the issue page shows.
import { and, eq, gt, sql } from "drizzle-orm";
import type { JobWithMetadata } from "pg-boss";
import type { Database, Queryable } from "@/db/client";
import { integrations, issues, statusWriteBacks } from "@/db/schema";
import { writeSaltStatus, type WriteBackOutcome } from "@/server/integrations/salt-security/write-back";
import { logger } from "@/server/logger";
import { notifyFailedWriteBack } from "@/server/notifications/rules";
import type { StatusWriteBackJobData } from "./outbox";

type Row = typeof statusWriteBacks.$inferSelect;

async function settle(db: Queryable, row: Row, patch: Partial<Row>) {
  await db
    .update(statusWriteBacks)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(statusWriteBacks.companyId, row.companyId), eq(statusWriteBacks.id, row.id)));
}

/** Returns normally when the row is settled; throws to have the queue retry it later. */
export async function runStatusWriteBack(db: Database, data: StatusWriteBackJobData, { finalAttempt }: { finalAttempt: boolean }) {
  // Claims the row: its lock orders this against an Undo (server/issues/status.ts), and both compare send_after
  // with clock_timestamp(), so exactly one of them wins — an undone change is never sent, a sent one never undone.
  const [row] = await db
    .update(statusWriteBacks)
    .set({ updatedAt: sql`clock_timestamp()` })
    .where(
      and(
        eq(statusWriteBacks.companyId, data.companyId),
        eq(statusWriteBacks.id, data.writeBackId),
        eq(statusWriteBacks.state, "pending"),
        sql`${statusWriteBacks.sendAfter} <= clock_timestamp()`,
      ),
    )
    .returning();
  if (!row) {
    const [waiting] = await db
      .select({ id: statusWriteBacks.id })
      .from(statusWriteBacks)
      .where(and(eq(statusWriteBacks.companyId, data.companyId), eq(statusWriteBacks.id, data.writeBackId), eq(statusWriteBacks.state, "pending")));
    // Still within its undo window (a job started early, e.g. a retry): have the queue run it again later.
    if (waiting) throw new Error("write-back not due yet");
    return;
  }
  if (!row.externalStatus) return;

  // A later change of the same issue wins: sending this one now could overwrite it in Salt.
  const [newer] = await db
    .select({ id: statusWriteBacks.id })
    .from(statusWriteBacks)
    .where(
      and(
        eq(statusWriteBacks.companyId, row.companyId),
        eq(statusWriteBacks.issueId, row.issueId),
        // Compared in SQL: a JavaScript Date would drop the microseconds PostgreSQL keeps.
        gt(statusWriteBacks.createdAt, sql`(select created_at from status_write_backs where id = ${row.id})`),
      ),
    )
    .limit(1);
  if (newer) {
    await settle(db, row, { state: "skipped", lastError: "Superseded by a later status change.", completedAt: new Date() });
    return;
  }

  const [target] = await db
    .select({ integration: integrations, externalId: issues.externalId, status: issues.status })
    .from(issues)
    .innerJoin(integrations, eq(integrations.id, row.integrationId))
    .where(and(eq(issues.companyId, row.companyId), eq(issues.id, row.issueId)));
  if (!target?.externalId || target.integration.state !== "connected") {
    await settle(db, row, { state: "skipped", lastError: "The integration is no longer connected.", completedAt: new Date() });
    return;
  }
  // The issue moved on since (a newer change from Salt applied): sending this one would undo it there.
  if (target.status !== row.toStatus) {
    await settle(db, row, { state: "skipped", lastError: "Superseded: the issue's status changed again before Salt was told.", completedAt: new Date() });
    return;
  }

  const outcome: WriteBackOutcome = await writeSaltStatus(target.integration, target.externalId, row.externalStatus);
  const attempts = row.attempts + 1;
  switch (outcome.kind) {
    case "done":
      await db.transaction(async (tx) => {
        await tx
          .update(statusWriteBacks)
          .set({ state: "done", attempts, lastError: null, completedAt: new Date(), updatedAt: new Date() })
          .where(and(eq(statusWriteBacks.companyId, row.companyId), eq(statusWriteBacks.id, row.id)));
        // What Salt now says, so the next inbound sync sees agreement rather than a change; Salt counts the
        // write as activity on the gap, so "Last activity" moves here too.
        await tx
          .update(issues)
          .set({ externalStatus: row.externalStatus, lastActivityAt: new Date(), updatedAt: new Date() })
          .where(and(eq(issues.companyId, row.companyId), eq(issues.id, row.issueId)));
      });
      logger.info("status written back", { writeBackId: row.id, changed: outcome.changed });
      return;
    case "write_back_off":
      await db.transaction(async (tx) => {
        await tx
          .update(statusWriteBacks)
          .set({ state: "skipped", attempts, lastError: outcome.message, completedAt: new Date(), updatedAt: new Date() })
          .where(and(eq(statusWriteBacks.companyId, row.companyId), eq(statusWriteBacks.id, row.id)));
        await tx
          .update(integrations)
          .set({ canWriteBack: false, updatedAt: new Date() })
          .where(and(eq(integrations.companyId, row.companyId), eq(integrations.id, row.integrationId)));
      });
      return;
    case "failed":
      if (outcome.retryable && !finalAttempt) {
        await settle(db, row, { attempts, lastError: outcome.message });
        throw new Error(`write-back will be retried: ${outcome.code}`);
      }
      await db.transaction(async (tx) => {
        await settle(tx, row, { state: "failed", attempts, lastError: outcome.message, completedAt: new Date() });
        await notifyFailedWriteBack(tx, { companyId: row.companyId, writeBackId: row.id, issueId: row.issueId, reason: outcome.message });
      });
      logger.warn("status write-back failed", { writeBackId: row.id, code: outcome.code });
      return;
  }
}

export function createStatusWriteBackHandler(getDb: () => Database) {
  return async (jobs: JobWithMetadata<StatusWriteBackJobData>[]) => {
    for (const job of jobs) {
      await runStatusWriteBack(getDb(), job.data, { finalAttempt: job.retryCount >= job.retryLimit });
    }
  };
}
