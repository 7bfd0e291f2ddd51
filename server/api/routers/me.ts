import { createTRPCRouter, companyProcedure } from "@/server/api/trpc";
import { permissionsOf } from "@/server/api/permissions";

export const meRouter = createTRPCRouter({
  /** Who is signed in, in which company, and what they may do (the UI hides what they can't). */
  get: companyProcedure.query(({ ctx }) => ({
    user: { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email },
    company: { id: ctx.company.id, name: ctx.company.name, publicId: ctx.company.publicId },
    role: ctx.role,
    permissions: permissionsOf(ctx.role),
  })),
});
