// A person changing an issue's status, end to end: one transaction writes the change, its history row (with the
// reason and, for Risk Accepted, the end date), the asset figures (db/queries/issues.ts), and the write-back
// outbox row that tells the integration — so Salt learns of every change Postura keeps, and of no other. The
// write-back waits `delaySeconds` (STATUS_UNDO_SECONDS) so the person can undo the change before Salt hears of it.
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { type Database, rowsOf } from "@/db/client";
import { issues, type IssueStatus, issueStatusLabels, statusHistory, statusWriteBacks } from "@/db/schema";
import { adjustOpenIssueFigures, setIssueStatus } from "@/db/queries/issues";
import { isOpenStatus } from "@/db/schema/vocabulary";
import { type AuditActor, recordAudit } from "@/server/audit";
import { forwardIssueChanges } from "@/server/forwarding/outbox";
import { type QueueOptions, queueStatusWriteBack } from "@/server/writeback/outbox";

export async function changeIssueStatusByUser(
  db: Database,
  input: {
    companyId: string;
    issueId: string;
    status: IssueStatus;
    userId: string;
    note?: string;
    riskAcceptedUntil?: Date;
    actor?: AuditActor;
  },
  options: QueueOptions = {},
) {
  return db.transaction(async (tx) => {
    const result = await setIssueStatus(tx, {
      companyId: input.companyId,
      id: input.issueId,
      status: input.status,
      userId: input.userId,
      note: input.note,
      riskAcceptedUntil: input.riskAcceptedUntil,
    });
    if (!result) return null;
    const writeBack = result.change
      ? await queueStatusWriteBack(
          tx,
          { companyId: input.companyId, issueId: input.issueId, statusHistoryId: result.change.statusHistoryId, toStatus: input.status },
          options,
        )
      : null;
    // Forwarded records (Snapsec VM) learn of the change through the forwarding outbox, in this transaction.
    if (result.change) await forwardIssueChanges(tx, { companyId: input.companyId, issueIds: [input.issueId] }, options);
    if (result.change && input.actor) {
      await recordAudit(tx, {
        companyId: input.companyId,
        actor: input.actor,
        action: "issue.status_changed",
        target: { type: "issue", id: input.issueId, label: result.issue.title },
        details: {
          status: { from: issueStatusLabels[result.change.fromStatus], to: issueStatusLabels[input.status] },
          ...(input.note ? { note: input.note } : {}),
          ...(result.issue.riskAcceptedUntil ? { until: result.issue.riskAcceptedUntil.toISOString() } : {}),
        },
      });
    }
    return { ...result, writeBack };
  });
}

export type UndoOutcome = { undone: true; status: IssueStatus } | { undone: false; reason: string };


/**
 * Undo of a person's own latest status change, allowed while its write-back has not been sent (send_after is
 * still ahead, compared on the database's clock under the write-back row's lock, as the job does). The issue
 * returns to its previous status, origin and end date; the history gains an "Undone" row; the write-back is
 * skipped. Issues with no write-back can be undone within the same window, measured from the change.
 */
export async function undoStatusChange(
  db: Database,
  input: { companyId: string; issueId: string; statusHistoryId: string; userId: string; undoSeconds: number; actor?: AuditActor },
): Promise<UndoOutcome | null> {
  return db.transaction(async (tx) => {
    const [issue] = await tx
      .select()
      .from(issues)
      .where(and(eq(issues.companyId, input.companyId), eq(issues.id, input.issueId)))
      .for("update");
    if (!issue) return null;
    const [latest] = await tx
      .select()
      .from(statusHistory)
      .where(and(eq(statusHistory.companyId, input.companyId), eq(statusHistory.issueId, input.issueId)))
      .orderBy(desc(statusHistory.createdAt), desc(statusHistory.id))
      .limit(1);
    if (!latest || latest.id !== input.statusHistoryId || latest.origin !== "user" || latest.userId !== input.userId || !latest.fromStatus) {
      return { undone: false, reason: "The issue has changed since; change its status again instead." };
    }

    const [inWindow] = await tx
      .execute(sql`select ${latest.createdAt.toISOString()}::timestamptz + make_interval(secs => ${input.undoSeconds}) > clock_timestamp() as ok`)
      .then((r) => rowsOf<{ ok: boolean }>(r));
    const [writeBack] = await tx
      .select({ id: statusWriteBacks.id })
      .from(statusWriteBacks)
      .where(and(eq(statusWriteBacks.companyId, input.companyId), eq(statusWriteBacks.statusHistoryId, latest.id)));
    const [cancelled] = writeBack
      ? await tx
          .update(statusWriteBacks)
          .set({ state: "skipped", lastError: "Undone before it was sent.", completedAt: sql`clock_timestamp()`, updatedAt: sql`clock_timestamp()` })
          .where(and(eq(statusWriteBacks.id, writeBack.id), eq(statusWriteBacks.state, "pending"), sql`${statusWriteBacks.sendAfter} > clock_timestamp()`))
          .returning({ id: statusWriteBacks.id })
      : [];
    // Not cancelled here: no write-back (an issue from no integration) or one skipped from the start (no mapping,
    // write-back off) never reached the source — undoable within the same window; anything else was sent.
    if (!cancelled) {
      const [neverSent] = writeBack
        ? await tx
            .select({ id: statusWriteBacks.id })
            .from(statusWriteBacks)
            .where(and(eq(statusWriteBacks.id, writeBack.id), eq(statusWriteBacks.state, "skipped"), eq(statusWriteBacks.attempts, 0)))
        : [{ id: "none" }];
      if (!neverSent || !inWindow?.ok) return { undone: false, reason: "Too late to undo: change the status again instead." };
    }

    // What the issue was before: the previous history row (or, for the first change, the sync's values).
    const [previous] = await tx
      .select()
      .from(statusHistory)
      .where(and(eq(statusHistory.companyId, input.companyId), eq(statusHistory.issueId, input.issueId), lt(statusHistory.createdAt, latest.createdAt)))
      .orderBy(desc(statusHistory.createdAt), desc(statusHistory.id))
      .limit(1);
    const restored = latest.fromStatus;
    const now = new Date();
    await tx
      .update(issues)
      .set({
        status: restored,
        statusOrigin: previous?.origin ?? "sync",
        statusChangedAt: previous?.createdAt ?? issue.createdAt,
        statusChangedBy: previous?.userId ?? null,
        riskAcceptedUntil: restored === "risk_accepted" ? (previous?.riskAcceptedUntil ?? null) : null,
        updatedAt: now,
      })
      .where(and(eq(issues.companyId, input.companyId), eq(issues.id, input.issueId)));
    await tx.insert(statusHistory).values({
      companyId: input.companyId,
      issueId: input.issueId,
      fromStatus: issue.status,
      toStatus: restored,
      origin: "user",
      userId: input.userId,
      note: "Undone before the source was told.",
      riskAcceptedUntil: restored === "risk_accepted" ? (previous?.riskAcceptedUntil ?? null) : null,
      createdAt: now,
    });
    const delta = Number(isOpenStatus(restored)) - Number(isOpenStatus(issue.status));
    if (delta !== 0) {
      const assetIds = [issue.assetId, ...(issue.domainAssetId && issue.domainAssetId !== issue.assetId ? [issue.domainAssetId] : [])];
      await adjustOpenIssueFigures(tx, { companyId: input.companyId, assetIds, severity: issue.severity, delta });
    }
    // A forwarded record may already hold the undone status: it gets the restored one.
    await forwardIssueChanges(tx, { companyId: input.companyId, issueIds: [input.issueId] });
    if (input.actor) {
      await recordAudit(tx, {
        companyId: input.companyId,
        actor: input.actor,
        action: "issue.status_change_undone",
        target: { type: "issue", id: input.issueId, label: issue.title },
        details: { status: { from: issueStatusLabels[issue.status], to: issueStatusLabels[restored] } },
      });
    }
    return { undone: true, status: restored };
  });
}
