// The Overview page's figures and the SLA policy (read by every member, changed by admins with an audit row).
import { listApis } from "@/db/queries/asset-lists";
import { countSlaStates, getSlaPolicy, meanTimeToFix, saveSlaPolicy, weeklyTrend } from "@/db/queries/overview";
import { slaPolicySchema } from "@/lib/sla";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { recordAudit } from "@/server/audit";
import { listIntegrationHealth } from "@/server/integrations/health";

const RISKIEST_APIS = 5;

export const overviewRouter = createTRPCRouter({
  /** The company's SLA days per severity (defaults where it set none). */
  slaPolicy: companyProcedure.query(({ ctx }) => getSlaPolicy(ctx.db, { companyId: ctx.company.id })),

  /** Breached and due-soon open issues per severity, with the policy they were counted against. */
  sla: companyProcedure.query(async ({ ctx }) => {
    const [policy, counts] = await Promise.all([getSlaPolicy(ctx.db, { companyId: ctx.company.id }), countSlaStates(ctx.db, { companyId: ctx.company.id })]);
    return { policy, ...counts };
  }),

  /** New, fixed and open issues per UTC week for the last 12 weeks, and the mean time to fix per severity. */
  trend: companyProcedure.query(async ({ ctx }) => {
    const now = new Date();
    const [weeks, timeToFix] = await Promise.all([
      weeklyTrend(ctx.db, { companyId: ctx.company.id, now }),
      meanTimeToFix(ctx.db, { companyId: ctx.company.id, now }),
    ]);
    return { weeks, timeToFix };
  }),

  riskiestApis: companyProcedure.query(async ({ ctx }) => {
    const page = await listApis(ctx.db, { companyId: ctx.company.id, sort: "risk", dir: "desc", page: 1 });
    return page.rows.filter((api) => api.riskScore > 0).slice(0, RISKIEST_APIS);
  }),

  integrationHealth: companyProcedure.query(({ ctx }) => listIntegrationHealth(ctx.db, { companyId: ctx.company.id })),

  setSlaPolicy: permissionProcedure("sla:manage")
    .input(slaPolicySchema)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const before = await getSlaPolicy(tx, { companyId: ctx.company.id });
        await saveSlaPolicy(tx, { companyId: ctx.company.id, policy: input });
        await recordAudit(tx, {
          companyId: ctx.company.id,
          actor: ctx.actor,
          action: "company.sla_changed",
          target: { type: "company", id: ctx.company.id, label: ctx.company.name },
          details: { from: before, to: input },
        });
        return input;
      }),
    ),
});
