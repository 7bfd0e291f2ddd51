// A person changing an issue's status, end to end: one transaction writes the change, its history row and the
// asset figures (db/queries/issues.ts), and the write-back outbox row that tells the integration — so Salt learns
// of every change Postura keeps, and of no other.
import type { Database } from "@/db/client";
import { type IssueStatus, issueStatusLabels } from "@/db/schema";
import { setIssueStatus } from "@/db/queries/issues";
import { type AuditActor, recordAudit } from "@/server/audit";
import { forwardIssueChanges } from "@/server/forwarding/outbox";
import { type QueueOptions, queueStatusWriteBack } from "@/server/writeback/outbox";

export async function changeIssueStatusByUser(
  db: Database,
  input: { companyId: string; issueId: string; status: IssueStatus; userId: string; note?: string; actor?: AuditActor },
  options: QueueOptions = {},
) {
  return db.transaction(async (tx) => {
    const result = await setIssueStatus(tx, { companyId: input.companyId, id: input.issueId, status: input.status, userId: input.userId, note: input.note });
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
        },
      });
    }
    return { ...result, writeBack };
  });
}
