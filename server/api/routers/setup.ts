// First run: whether setup is needed, and creating the company and its first admin (refused once any user exists).
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { hasAnyUser } from "@/db/queries/companies";
import { companyNameSchema, emailSchema, passwordSchema, personNameSchema } from "@/lib/people";
import { createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import { SetupClosedError, setUpFirstCompany } from "@/server/setup";

export const setupRouter = createTRPCRouter({
  status: publicProcedure.query(async ({ ctx }) => ({ needed: !(await hasAnyUser(ctx.db)) })),

  create: publicProcedure
    .input(z.object({ companyName: companyNameSchema, name: personNameSchema, email: emailSchema, password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      try {
        const result = await setUpFirstCompany(ctx.db, input, { ipAddress: ctx.ipAddress, userAgent: ctx.headers.get("user-agent") });
        return { companyId: result.companyId, email: input.email };
      } catch (error) {
        if (error instanceof SetupClosedError) throw new TRPCError({ code: "FORBIDDEN", message: error.message });
        throw error;
      }
    }),
});
