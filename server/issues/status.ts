// A person changing an issue's status: the issue, its history row and the write-back outbox row are written
// in one transaction, so Salt learns of every change that Postura keeps, and of no other.
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { issues, type IssueStatus, statusHistory } from "@/db/schema";
import { type QueueOptions, queueStatusWriteBack } from "@/server/writeback/outbox";

export async function changeIssueStatusByUser(
  db: Database,
  input: { companyId: string; issueId: string; toStatus: IssueStatus; userId: string; note?: string },
  options: QueueOptions = {},
): Promise<{ changed: boolean; writeBack: { writeBackId: string; state: "pending" | "skipped" } | null } | null> {
  return db.transaction(async (tx) => {
    const [issue] = await tx
      .select({ id: issues.id, status: issues.status })
      .from(issues)
      .where(and(eq(issues.companyId, input.companyId), eq(issues.id, input.issueId)))
      .for("update");
    if (!issue) return null;
    if (issue.status === input.toStatus) return { changed: false, writeBack: null };
    const now = new Date();
    await tx
      .update(issues)
      .set({
        status: input.toStatus,
        statusChangedAt: now,
        statusOrigin: "user",
        statusChangedBy: input.userId,
        closedReason: null,
        updatedAt: now,
      })
      .where(and(eq(issues.companyId, input.companyId), eq(issues.id, input.issueId)));
    const [history] = await tx
      .insert(statusHistory)
      .values({
        companyId: input.companyId,
        issueId: input.issueId,
        fromStatus: issue.status,
        toStatus: input.toStatus,
        origin: "user",
        userId: input.userId,
        note: input.note ?? null,
        createdAt: now,
      })
      .returning({ id: statusHistory.id });
    const writeBack = await queueStatusWriteBack(
      tx,
      { companyId: input.companyId, issueId: input.issueId, statusHistoryId: history?.id ?? null, toStatus: input.toStatus },
      options,
    );
    return { changed: true, writeBack };
  });
}
