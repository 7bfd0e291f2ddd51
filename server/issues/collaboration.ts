// Who owns an issue and what people said about it. The owner is a member of the issue's company (one column,
// issues.owner_user_id, which forwarding to Snapsec VM reads as "owner"); comments are Markdown kept as typed and
// rendered without raw HTML (components/views/issue-comments.tsx).
import { forwardIssueChanges } from "@/server/forwarding/outbox";
import { and, asc, eq } from "drizzle-orm";
import type { Database, Queryable } from "@/db/client";
import { issueComments, issues, memberships, user } from "@/db/schema";
import { type AuditActor, recordAudit } from "@/server/audit";
import { assertMember } from "./bulk";

/** Sets (or clears, with null) one issue's owner. Null when the issue is not the company's. */
export async function setIssueOwner(
  db: Database,
  input: { companyId: string; issueId: string; ownerUserId: string | null; actor?: AuditActor },
) {
  return db.transaction(async (tx) => {
    if (input.ownerUserId) await assertMember(tx, input.companyId, input.ownerUserId);
    const [updated] = await tx
      .update(issues)
      .set({ ownerUserId: input.ownerUserId, updatedAt: new Date() })
      .where(and(eq(issues.companyId, input.companyId), eq(issues.id, input.issueId)))
      .returning({ id: issues.id, title: issues.title, ownerUserId: issues.ownerUserId });
    if (!updated) return null;
    // The owner is part of a forwarded record (Snapsec VM).
    await forwardIssueChanges(tx, { companyId: input.companyId, issueIds: [updated.id] });
    if (input.actor) {
      await recordAudit(tx, {
        companyId: input.companyId,
        actor: input.actor,
        action: "issue.owner_changed",
        target: { type: "issue", id: updated.id, label: updated.title },
        details: { owner: input.ownerUserId ?? "nobody" },
      });
    }
    return updated;
  });
}

/** The members an issue can be assigned to, for the owner picker (name and email: two people may share a name). */
export function listAssignableMembers(db: Queryable, { companyId }: { companyId: string }) {
  return db
    .select({ userId: user.id, name: user.name, email: user.email })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(eq(memberships.companyId, companyId))
    .orderBy(asc(user.name), asc(user.email));
}

export async function listIssueComments(db: Queryable, { companyId, issueId }: { companyId: string; issueId: string }) {
  return db
    .select({
      id: issueComments.id,
      body: issueComments.body,
      createdAt: issueComments.createdAt,
      userId: issueComments.userId,
      userName: user.name,
      userEmail: user.email,
    })
    .from(issueComments)
    .leftJoin(user, eq(user.id, issueComments.userId))
    .where(and(eq(issueComments.companyId, companyId), eq(issueComments.issueId, issueId)))
    .orderBy(asc(issueComments.createdAt), asc(issueComments.id));
}

/** Adds a comment; null when the issue is not the company's. */
export async function addIssueComment(db: Queryable, input: { companyId: string; issueId: string; userId: string; body: string }) {
  const [issue] = await db
    .select({ id: issues.id })
    .from(issues)
    .where(and(eq(issues.companyId, input.companyId), eq(issues.id, input.issueId)));
  if (!issue) return null;
  const [comment] = await db
    .insert(issueComments)
    .values({ companyId: input.companyId, issueId: input.issueId, userId: input.userId, body: input.body })
    .returning();
  return comment ?? null;
}
