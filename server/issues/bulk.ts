// Changes over many issues at once — bulk status, owner and business impact from the Issues list, and the
// expiry of risk acceptances — as set-based SQL: one UPDATE over the selection, one INSERT of a history row per
// changed issue, one INSERT of their write-back rows and their jobs in batches (server/writeback/outbox.ts),
// whatever the number of issues. Figures are recomputed once per affected domain.
import { forwardIssueChanges } from "@/server/forwarding/outbox";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { type Database, type Queryable, rowsOf } from "@/db/client";
import { type IssueFilter, issueFilterWhere } from "@/db/queries/issues";
import { setBusinessImpact } from "@/db/queries/assets";
import { type BusinessImpact, issues, type IssueStatus, issueStatusLabels, memberships, type StatusOrigin } from "@/db/schema";
import { type AuditActor, recordAudit } from "@/server/audit";
import { recomputeDomainFigures } from "@/server/sync/figures";
import { queueWriteBacksForHistory } from "@/server/writeback/outbox";

/** The most issues one bulk change may touch (the count is shown before Apply). */
export const BULK_MAX = 50_000;

/** Which issues a bulk change covers: the rows ticked on the page, or every issue matching the list's filter. */
export type IssueSelection = { ids: string[] } | { filter: IssueFilter };

export function selectionWhere(companyId: string, selection: IssueSelection): SQL {
  return "ids" in selection
    ? and(eq(issues.companyId, companyId), inArray(issues.id, selection.ids.length ? selection.ids : ["00000000-0000-0000-0000-000000000000"]))!
    : issueFilterWhere({ ...selection.filter, companyId })!;
}

function uuidArray(ids: string[]): string {
  return `{${ids.join(",")}}`;
}

/**
 * Moves every issue matching `where` (a condition on `issues`) to `status`, in one statement, with a history row
 * each; queues their write-backs and recomputes the figures of the domains whose open counts moved. Issues already
 * at `status` (with the same end date) are left alone.
 */
export async function applyStatusToSet(
  tx: Queryable,
  input: {
    where: SQL;
    status: IssueStatus;
    origin: StatusOrigin;
    userId: string | null;
    note: string | null;
    riskAcceptedUntil: Date | null;
    boss?: PgBoss;
  },
): Promise<{ changed: number; writeBacks: { pending: number; skipped: number } }> {
  const until = input.status === "risk_accepted" ? input.riskAcceptedUntil : null;
  const untilParam = until ? until.toISOString() : null;
  const rows = rowsOf<{ history_id: string; issue_id: string; company_id: string; domain_asset_id: string | null; moved: boolean }>(
    await tx.execute(sql`
      with target as (
        select ${issues.id} as id, ${issues.status} as from_status from ${issues}
        where ${input.where}
          and (${issues.status} <> ${input.status}::issue_status
               or (${input.status}::issue_status = 'risk_accepted' and ${issues.riskAcceptedUntil} is distinct from ${untilParam}::timestamptz))
        for update
      ), updated as (
        update ${issues} i set status = ${input.status}::issue_status, status_changed_at = now(), status_origin = ${input.origin}::status_origin,
          status_changed_by = ${input.userId}, closed_reason = null, risk_accepted_until = ${untilParam}::timestamptz, updated_at = now()
        from target t where i.id = t.id
        returning i.id, i.company_id, i.domain_asset_id, t.from_status
      ), history as (
        insert into status_history (company_id, issue_id, from_status, to_status, origin, user_id, note, risk_accepted_until, created_at)
        select company_id, id, from_status, ${input.status}::issue_status, ${input.origin}::status_origin, ${input.userId}, ${input.note},
               ${untilParam}::timestamptz, now()
        from updated
        returning id, issue_id
      )
      select h.id as history_id, h.issue_id, u.company_id, u.domain_asset_id,
             ((u.from_status in ('identified', 'in_progress')) <> (${input.status}::issue_status in ('identified', 'in_progress'))) as moved
      from history h join updated u on u.id = h.issue_id`),
  );
  if (rows.length === 0) return { changed: 0, writeBacks: { pending: 0, skipped: 0 } };
  const writeBacks = await queueWriteBacksForHistory(tx, sql`select unnest(${uuidArray(rows.map((r) => r.history_id))}::uuid[])`, {
    boss: input.boss,
  });
  // Forwarded records (Snapsec VM) learn of the changes through the forwarding outbox, in this transaction.
  const changedByCompany = new Map<string, string[]>();
  for (const row of rows) changedByCompany.set(row.company_id, [...(changedByCompany.get(row.company_id) ?? []), row.issue_id]);
  for (const [companyId, issueIds] of changedByCompany) await forwardIssueChanges(tx, { companyId, issueIds }, { boss: input.boss });
  const domains = new Map<string, string>();
  for (const row of rows) if (row.moved && row.domain_asset_id) domains.set(`${row.company_id}/${row.domain_asset_id}`, row.company_id);
  for (const [key, companyId] of domains) {
    await recomputeDomainFigures(tx, { companyId, domainAssetId: key.slice(companyId.length + 1) });
  }
  return { changed: rows.length, writeBacks };
}

export type BulkChange =
  | { kind: "status"; status: IssueStatus; reason?: string; riskAcceptedUntil?: Date }
  | { kind: "owner"; ownerUserId: string | null }
  | { kind: "businessImpact"; businessImpact: BusinessImpact };

export class NotAMemberError extends Error {
  constructor() {
    super("That person is not a member of this company; choose one of its members.");
  }
}

/** Refuses an owner who is not a member of the company (an id from another company included). */
export async function assertMember(db: Queryable, companyId: string, userId: string) {
  const [member] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)));
  if (!member) throw new NotAMemberError();
}

/** One bulk action from the Issues list, in one transaction with one audit row. Returns how many issues changed. */
export async function applyBulkChange(
  db: Database,
  input: { companyId: string; userId: string; selection: IssueSelection; change: BulkChange; actor?: AuditActor },
  options: { boss?: PgBoss } = {},
) {
  const where = selectionWhere(input.companyId, input.selection);
  return db.transaction(async (tx) => {
    let result: { changed: number; writeBacks?: { pending: number; skipped: number }; domains?: number };
    const { change } = input;
    if (change.kind === "status") {
      result = await applyStatusToSet(tx, {
        where,
        status: change.status,
        origin: "user",
        userId: input.userId,
        note: change.reason || null,
        riskAcceptedUntil: change.riskAcceptedUntil ?? null,
        boss: options.boss,
      });
    } else if (change.kind === "owner") {
      if (change.ownerUserId) await assertMember(tx, input.companyId, change.ownerUserId);
      const updated = await tx
        .update(issues)
        .set({ ownerUserId: change.ownerUserId, updatedAt: new Date() })
        .where(and(where, sql`${issues.ownerUserId} is distinct from ${change.ownerUserId}`))
        .returning({ id: issues.id });
      await forwardIssueChanges(tx, { companyId: input.companyId, issueIds: updated.map((u) => u.id) }, { boss: options.boss });
      result = { changed: updated.length };
    } else {
      // Business impact belongs to a domain: every domain the selected issues sit under.
      const domainRows = await tx
        .selectDistinct({ id: sql<string>`coalesce(${issues.domainAssetId}, ${issues.assetId})` })
        .from(issues)
        .where(where);
      for (const { id } of domainRows) await setBusinessImpact(tx, { companyId: input.companyId, id, businessImpact: change.businessImpact });
      result = { changed: domainRows.length, domains: domainRows.length };
    }
    if (input.actor && result.changed > 0) {
      await recordAudit(tx, {
        companyId: input.companyId,
        actor: input.actor,
        action: "issues.bulk_changed",
        target: { type: "issue", id: null, label: `${result.changed} ${change.kind === "businessImpact" ? "domains" : "issues"}` },
        details:
          change.kind === "status"
            ? { status: issueStatusLabels[change.status], count: result.changed, ...(change.reason ? { note: change.reason } : {}) }
            : change.kind === "owner"
              ? { owner: change.ownerUserId ?? "nobody", count: result.changed }
              : { businessImpact: change.businessImpact, domains: result.changed },
      });
    }
    return result;
  });
}

/**
 * The expiry job's work: every risk acceptance whose end date has passed returns to Identified, across
 * companies, with a history row ("system") and a write-back that follows the status mapping. `now` is a
 * parameter so tests move the clock instead of waiting.
 */
export async function expireRiskAcceptances(db: Database, { now = new Date(), boss }: { now?: Date; boss?: PgBoss } = {}) {
  return db.transaction((tx) =>
    applyStatusToSet(tx, {
      where: sql`${issues.status} = 'risk_accepted' and ${issues.riskAcceptedUntil} <= ${now.toISOString()}::timestamptz`,
      status: "identified",
      origin: "system",
      userId: null,
      note: "Risk acceptance expired.",
      riskAcceptedUntil: null,
      boss,
    }),
  );
}
