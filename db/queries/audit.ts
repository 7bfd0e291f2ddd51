// The audit log's list: one company's rows, newest first, filtered by action, actor, text and time, paged.
import { and, desc, eq, gte, ilike, lt, or, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { auditLog } from "@/db/schema";
import { PAGE_SIZE } from "@/lib/list-options";
import { cappedCount, containsPattern, type Page, pageOffset } from "./paging";

export type AuditFilter = { action?: string; actorUserId?: string; q?: string; from?: Date; to?: Date; page: number };

export async function listAuditLog(db: Queryable, { companyId, ...filter }: AuditFilter & { companyId: string }) {
  const conditions: (SQL | undefined)[] = [eq(auditLog.companyId, companyId)];
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.actorUserId) conditions.push(eq(auditLog.actorUserId, filter.actorUserId));
  if (filter.from) conditions.push(gte(auditLog.createdAt, filter.from));
  if (filter.to) conditions.push(lt(auditLog.createdAt, filter.to));
  if (filter.q?.trim()) {
    const pattern = containsPattern(filter.q);
    conditions.push(
      or(ilike(auditLog.targetLabel, pattern), ilike(auditLog.actorName, pattern), ilike(auditLog.actorEmail, pattern), ilike(auditLog.ipAddress, pattern)),
    );
  }
  const where = and(...conditions);
  const { page, offset } = pageOffset(filter.page);
  const [rows, count] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.createdAt), desc(auditLog.id)).limit(PAGE_SIZE).offset(offset),
    cappedCount(db, auditLog, where),
  ]);
  return { rows, page, pageSize: PAGE_SIZE, ...count } satisfies Page<(typeof rows)[number]>;
}
