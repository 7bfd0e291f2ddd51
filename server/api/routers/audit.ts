// Settings → Audit log (admins): who changed what, when and from where; filterable and paged.
import { z } from "zod";
import { listAuditLog } from "@/db/queries/audit";
import { MAX_PAGE } from "@/lib/list-options";
import { auditActionNames } from "@/server/audit";
import { createTRPCRouter, permissionProcedure } from "@/server/api/trpc";

export const auditListInput = z.object({
  action: z.enum(auditActionNames).optional(),
  actorUserId: z.string().min(1).max(100).optional(),
  q: z.string().trim().max(200).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  page: z.number().int().min(1).max(MAX_PAGE).default(1),
});

export const auditRouter = createTRPCRouter({
  list: permissionProcedure("audit:read")
    .input(auditListInput)
    .query(({ ctx, input }) => listAuditLog(ctx.db, { companyId: ctx.company.id, ...input })),
});
