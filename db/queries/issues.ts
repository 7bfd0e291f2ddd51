// Issue reads, always scoped to a company.
import { and, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { issues } from "@/db/schema";

export async function getIssueById(db: Queryable, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(issues)
    .where(and(eq(issues.companyId, companyId), eq(issues.id, id)));
  return row ?? null;
}
