// Sync of an integration: start a manual full sync (an import: admins and Vulnerability Vendor Import holders) and read recent runs with their progress.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getIntegrationById } from "@/db/queries/integrations";
import { listSyncRuns } from "@/db/queries/sync-runs";
import { withoutDatabaseText } from "@/server/api/errors";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { getWebhookHealth, IntegrationNotFoundError, requestManualSync } from "@/server/sync";

const integrationNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Integration not found." });

export const syncRouter = createTRPCRouter({
  syncIntegration: permissionProcedure("integrations:import")
    .input(z.object({ integrationId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      try {
        return await requestManualSync(ctx.db, { companyId: ctx.company.id, integrationId: input.integrationId, actor: ctx.actor });
      } catch (error) {
        if (error instanceof IntegrationNotFoundError) throw integrationNotFound();
        throw error;
      }
    }),

  runs: companyProcedure
    .input(z.object({ integrationId: z.uuid(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(async ({ ctx, input }) => {
      const integration = await getIntegrationById(ctx.db, { companyId: ctx.company.id, id: input.integrationId });
      if (!integration) throw integrationNotFound();
      const runs = await listSyncRuns(ctx.db, { companyId: ctx.company.id, integrationId: integration.id, limit: input.limit });
      return runs.map((run) => ({ ...run, errorMessage: withoutDatabaseText(run.errorMessage) }));
    }),

  /** Whether Salt's webhooks arrive: the reconciliation warning with its evidence, and the last accepted and rejected delivery. */
  webhookHealth: companyProcedure.input(z.object({ integrationId: z.uuid() })).query(async ({ ctx, input }) => {
    const health = await getWebhookHealth(ctx.db, { companyId: ctx.company.id, integrationId: input.integrationId });
    if (!health) throw integrationNotFound();
    return health;
  }),
});
