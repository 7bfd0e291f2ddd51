import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getAssetById, setBusinessImpact } from "@/db/queries/assets";
import { getAssetDetail, getAssetOverview, getDomainActivity, listApis, listFqdnFacets, listFqdnOptions, listFqdns, listHosts } from "@/db/queries/asset-lists";
import { businessImpacts } from "@/db/schema";
import { apiSorts, fqdnSorts, hostSorts, httpMethods, MAX_PAGE, sortDirections } from "@/lib/list-options";
import { userText } from "@/lib/validation/text";
import { withoutDatabaseText } from "@/server/api/errors";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { recordAudit } from "@/server/audit";

const assetNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Asset not found." });

const search = userText({ max: 200 }).optional();
const page = z.number().int().min(1).max(MAX_PAGE).default(1);

export const fqdnListInput = z.object({
  q: search,
  impact: z.array(z.enum(businessImpacts)).max(3).optional(),
  applicationId: z.uuid().optional(),
  tag: userText({ max: 200 }).optional(),
  sort: z.enum(fqdnSorts).default("risk"),
  dir: z.enum(sortDirections).default("desc"),
  page,
});

export const apiListInput = z.object({
  q: search,
  fqdnIds: z.array(z.uuid()).max(50).optional(),
  methods: z.array(z.enum(httpMethods)).max(httpMethods.length).optional(),
  riskMin: z.number().int().min(0).optional(),
  riskMax: z.number().int().min(0).optional(),
  sort: z.enum(apiSorts).default("risk"),
  dir: z.enum(sortDirections).default("desc"),
  page,
});

export const assetsRouter = createTRPCRouter({
  byId: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const asset = await getAssetById(ctx.db, { companyId: ctx.company.id, id: input.id });
    if (!asset) throw assetNotFound();
    return asset;
  }),

  /** An asset with its parent domain, applications and tags: the FQDN and API pages' header. */
  detail: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const asset = await getAssetDetail(ctx.db, { companyId: ctx.company.id, id: input.id });
    if (!asset) throw assetNotFound();
    return asset;
  }),

  listFqdns: companyProcedure.input(fqdnListInput).query(({ ctx, input }) => listFqdns(ctx.db, { companyId: ctx.company.id, ...input })),

  listApis: companyProcedure.input(apiListInput).query(({ ctx, input }) => listApis(ctx.db, { companyId: ctx.company.id, ...input })),

  fqdnOptions: companyProcedure
    .input(z.object({ q: search, ids: z.array(z.uuid()).max(50).optional() }))
    .query(({ ctx, input }) => listFqdnOptions(ctx.db, { companyId: ctx.company.id, ...input })),

  listHosts: companyProcedure
    .input(
      z.object({
        q: search,
        sort: z.enum(hostSorts).default("risk"),
        dir: z.enum(sortDirections).default("desc"),
        page: z.number().int().min(1).max(MAX_PAGE).default(1),
      }),
    )
    .query(({ ctx, input }) => listHosts(ctx.db, { companyId: ctx.company.id, ...input })),

  fqdnFacets: companyProcedure.query(({ ctx }) => listFqdnFacets(ctx.db, { companyId: ctx.company.id })),

  overview: companyProcedure.query(({ ctx }) => getAssetOverview(ctx.db, { companyId: ctx.company.id })),

  domainActivity: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const activity = await getDomainActivity(ctx.db, { companyId: ctx.company.id, domainId: input.id });
    if (!activity) throw assetNotFound();
    return { ...activity, runs: activity.runs.map((run) => ({ ...run, errorMessage: withoutDatabaseText(run.errorMessage) })) };
  }),

  setBusinessImpact: permissionProcedure("assets:edit_business_impact")
    .input(z.object({ id: z.uuid(), businessImpact: z.enum(businessImpacts) }))
    .mutation(async ({ ctx, input }) => {
      const asset = await ctx.db.transaction(async (tx) => {
        const updated = await setBusinessImpact(tx, { companyId: ctx.company.id, id: input.id, businessImpact: input.businessImpact });
        if (updated) {
          await recordAudit(tx, {
            companyId: ctx.company.id,
            actor: ctx.actor,
            action: "asset.business_impact_changed",
            target: { type: "asset", id: input.id, label: updated.name },
            details: { to: input.businessImpact },
          });
        }
        return updated;
      });
      if (!asset) throw assetNotFound();
      return asset;
    }),
});
