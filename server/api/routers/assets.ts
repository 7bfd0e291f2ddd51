import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getAssetById, setBusinessImpact } from "@/db/queries/assets";
import { businessImpacts } from "@/db/schema";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";

const assetNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Asset not found." });

export const assetsRouter = createTRPCRouter({
  byId: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const asset = await getAssetById(ctx.db, { companyId: ctx.company.id, id: input.id });
    if (!asset) throw assetNotFound();
    return asset;
  }),

  setBusinessImpact: permissionProcedure("assets:edit_business_impact")
    .input(z.object({ id: z.uuid(), businessImpact: z.enum(businessImpacts) }))
    .mutation(async ({ ctx, input }) => {
      const asset = await ctx.db.transaction((tx) =>
        setBusinessImpact(tx, { companyId: ctx.company.id, id: input.id, businessImpact: input.businessImpact }),
      );
      if (!asset) throw assetNotFound();
      return asset;
    }),
});
