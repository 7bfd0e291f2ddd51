import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getIssueById } from "@/db/queries/issues";
import { companyProcedure, createTRPCRouter } from "@/server/api/trpc";

export const issuesRouter = createTRPCRouter({
  byId: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const issue = await getIssueById(ctx.db, { companyId: ctx.company.id, id: input.id });
    if (!issue) throw new TRPCError({ code: "NOT_FOUND", message: "Issue not found." });
    return issue;
  }),
});
