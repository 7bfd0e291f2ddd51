import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getIntegrationById } from "@/db/queries/integrations";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { toPublicIntegration } from "@/server/integrations/public-view";
import { rotateWebhookToken } from "@/server/integrations/webhook-token";

const integrationNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Integration not found." });

export const integrationsRouter = createTRPCRouter({
  byId: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const row = await getIntegrationById(ctx.db, { companyId: ctx.company.id, id: input.id });
    if (!row) throw integrationNotFound();
    return toPublicIntegration(row);
  }),

  rotateWebhookToken: permissionProcedure("integrations:manage")
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const result = await rotateWebhookToken(ctx.db, { companyId: ctx.company.id, integrationId: input.id });
      if (!result) throw integrationNotFound();
      return result;
    }),
});
