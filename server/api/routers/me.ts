import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getMembershipForUser, listCompaniesForUser, setSessionCompany } from "@/db/queries/companies";
import { permissionsOf } from "@/server/api/permissions";
import { companyProcedure, createTRPCRouter } from "@/server/api/trpc";

export const meRouter = createTRPCRouter({
  /** Who is signed in, in which company, and what they may do (the UI hides what they can't). */
  get: companyProcedure.query(({ ctx }) => ({
    user: { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email },
    company: { id: ctx.company.id, name: ctx.company.name, publicId: ctx.company.publicId },
    role: ctx.role,
    grants: ctx.member.permissions,
    permissions: permissionsOf(ctx.member),
  })),

  /** The companies the signed-in person belongs to, for the account menu's switcher. */
  companies: companyProcedure.query(({ ctx }) => listCompaniesForUser(ctx.db, ctx.user.id)),

  /** Points this session (only this one) at another of the person's companies. */
  switchCompany: companyProcedure.input(z.object({ companyId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const membership = await getMembershipForUser(ctx.db, ctx.user.id, input.companyId);
    if (!membership || membership.companyId !== input.companyId) {
      throw new TRPCError({ code: "NOT_FOUND", message: "You are not a member of that company." });
    }
    await setSessionCompany(ctx.db, { sessionId: ctx.session.session.id, companyId: input.companyId });
    return { companyId: membership.companyId, companyName: membership.companyName };
  }),
});
