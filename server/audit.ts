// The audit log: what changed, who did it, when and from where. Written with the change's own transaction (pass
// `tx`), so a change without its row, or a row without its change, cannot exist. Never put a secret in `details`.
import type { Queryable } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { AuditAction } from "@/lib/audit-actions";

export { type AuditAction, auditActionNames, auditActions } from "@/lib/audit-actions";

/** Who did it and from where. A person has an id, name and email; the CLI and the system have a name only. */
export type AuditActor = {
  userId: string | null;
  name: string | null;
  email: string | null;
  ipAddress: string | null;
  userAgent: string | null;
};

export const cliActor: AuditActor = { userId: null, name: "Admin CLI", email: null, ipAddress: null, userAgent: null };

export type AuditEntry = {
  companyId: string;
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id?: string | null; label?: string | null };
  details?: Record<string, unknown>;
};

const MAX_USER_AGENT = 300;

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    companyId: entry.companyId,
    actorUserId: entry.actor.userId,
    actorName: entry.actor.name,
    actorEmail: entry.actor.email,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    targetLabel: entry.target?.label ?? null,
    details: entry.details ?? {},
    ipAddress: entry.actor.ipAddress,
    userAgent: entry.actor.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
  });
}
