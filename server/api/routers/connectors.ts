// Settings → Connectors: the Tenable.io connector (keys, base URL, days since), its imports and their history.
// Every member reads; changing the connector is for admins; running or cancelling an import needs Vulnerability
// Vendor Import (server/api/permissions.ts). The keys are never returned: only whether they are stored.
import { TRPCError } from "@trpc/server";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getLiveIntegration, getOrCreateDraftIntegration, updateLiveIntegration } from "@/db/queries/integrations";
import { syncRuns } from "@/db/schema";
import { tenableConnectorInput } from "@/lib/connectors";
import { can, refusalMessages } from "@/server/api/permissions";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { recordAudit } from "@/server/audit";
import { createTenableClient, isTenableError, TENABLE_DEFAULT_BASE_URL } from "@/server/integrations/tenable";
import { encryptTenableKeys, readTenableKeys } from "@/server/integrations/tenable/integration-client";
import { ASSET_EXPORT_RUN_DOMAIN, exportAssetsToTenable } from "@/server/sync/asset-export";
import { ConnectorNotConfiguredError, requestConnectorImport, requestImportCancel } from "@/server/sync/connector-import";

const RUNS_SHOWN = 20;

export const connectorsRouter = createTRPCRouter({
  /** The Tenable.io connector as the workspace shows it, with what the viewer may do. */
  tenable: companyProcedure.query(async ({ ctx }) => {
    const row = await getLiveIntegration(ctx.db, { companyId: ctx.company.id, kind: "tenable_io" });
    const canManage = can(ctx.member, "integrations:manage");
    const canImport = can(ctx.member, "integrations:import");
    return {
      connector:
        row && row.state !== "removed"
          ? {
              id: row.id,
              saved: row.state === "connected" && row.credentialsEncrypted !== null,
              keysStored: row.credentialsEncrypted !== null,
              baseUrl: row.baseUrl ?? TENABLE_DEFAULT_BASE_URL,
              daysSince: row.daysSince,
              lastCheckedAt: row.lastCheckedAt,
            }
          : null,
      canManage,
      canImport,
      manageRefusal: canManage ? null : refusalMessages["integrations:manage"],
      importRefusal: canImport ? null : refusalMessages["integrations:import"],
    };
  }),

  /** The connector's import runs, newest first (polled while one is in flight). */
  runs: companyProcedure.query(async ({ ctx }) => {
    const row = await getLiveIntegration(ctx.db, { companyId: ctx.company.id, kind: "tenable_io" });
    if (!row) return [];
    return ctx.db
      .select({
        id: syncRuns.id,
        kind: sql<"import" | "asset_export">`case when ${syncRuns.domain} = ${ASSET_EXPORT_RUN_DOMAIN} then 'asset_export' else 'import' end`,
        exportRef: syncRuns.exportRef,
        state: syncRuns.state,
        counts: syncRuns.counts,
        progressDone: syncRuns.progressDone,
        progressTotal: syncRuns.progressTotal,
        errorCode: syncRuns.errorCode,
        errorMessage: syncRuns.errorMessage,
        skippedRecords: syncRuns.skippedRecords,
        cancelRequestedAt: syncRuns.cancelRequestedAt,
        queuedAt: syncRuns.queuedAt,
        startedAt: syncRuns.startedAt,
        finishedAt: syncRuns.finishedAt,
      })
      .from(syncRuns)
      .where(and(eq(syncRuns.companyId, ctx.company.id), eq(syncRuns.integrationId, row.id)))
      .orderBy(desc(syncRuns.queuedAt))
      .limit(RUNS_SHOWN);
  }),

  /**
   * Authenticates the keys against the base URL first; saves nothing when Tenable refuses them, cannot be reached
   * or does not answer like Tenable — the answer says which. Blank keys keep the stored ones.
   */
  saveTenable: permissionProcedure("integrations:manage")
    .input(tenableConnectorInput)
    .mutation(async ({ ctx, input }) => {
      const existing = await getLiveIntegration(ctx.db, { companyId: ctx.company.id, kind: "tenable_io" });
      const newKeys = Boolean(input.accessKey) || Boolean(input.secretKey);
      if (newKeys && (!input.accessKey || !input.secretKey)) {
        return { ok: false as const, code: "invalid_keys", message: "Enter both the access key and the secret key: they are a pair." };
      }
      let keys;
      if (input.accessKey && input.secretKey) keys = { accessKey: input.accessKey, secretKey: input.secretKey };
      else if (existing?.credentialsEncrypted) keys = readTenableKeys(existing);
      else return { ok: false as const, code: "invalid_keys", message: "Enter the access key and the secret key." };

      try {
        await createTenableClient({ baseUrl: input.baseUrl, ...keys, timeoutMs: 15_000, retry: { maxAttempts: 2, maxTotalWaitMs: 5_000 } }).checkKeys();
      } catch (error) {
        if (isTenableError(error)) return { ok: false as const, code: error.code, message: error.message };
        throw error;
      }

      const draft = existing ?? (await getOrCreateDraftIntegration(ctx.db, { companyId: ctx.company.id, kind: "tenable_io" }));
      await ctx.db.transaction(async (tx) => {
        await updateLiveIntegration(
          tx,
          { companyId: ctx.company.id, id: draft.id },
          {
            state: "connected",
            wizardStep: "done",
            ...(newKeys ? { credentialsEncrypted: encryptTenableKeys(keys) } : {}),
            baseUrl: input.baseUrl,
            daysSince: input.daysSince,
            lastCheckedAt: new Date(),
            lastCheckError: null,
          },
        );
        await recordAudit(tx, {
          companyId: ctx.company.id,
          actor: ctx.actor,
          action: "connector.saved",
          target: { type: "integration", id: draft.id, label: "Tenable.io" },
          details: { baseUrl: input.baseUrl, daysSince: input.daysSince, keysReplaced: newKeys },
        });
      });
      return { ok: true as const };
    }),

  importTenable: permissionProcedure("integrations:import").mutation(async ({ ctx }) => {
    try {
      return await requestConnectorImport(ctx.db, { companyId: ctx.company.id, actor: ctx.actor });
    } catch (error) {
      if (error instanceof ConnectorNotConfiguredError) throw new TRPCError({ code: "PRECONDITION_FAILED", message: error.message });
      throw error;
    }
  }),

  /** Sends the company's FQDN and host assets to Tenable.io (admins: it writes into the vendor's inventory). */
  exportAssets: permissionProcedure("integrations:manage").mutation(async ({ ctx }) => {
    try {
      return await exportAssetsToTenable(ctx.db, { companyId: ctx.company.id, actor: ctx.actor });
    } catch (error) {
      if (error instanceof ConnectorNotConfiguredError) throw new TRPCError({ code: "PRECONDITION_FAILED", message: error.message });
      throw error;
    }
  }),

  cancelImport: permissionProcedure("integrations:import")
    .input(z.object({ runId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const cancelled = await requestImportCancel(ctx.db, { companyId: ctx.company.id, runId: input.runId });
      if (!cancelled) throw new TRPCError({ code: "CONFLICT", message: "That import has already ended." });
      await recordAudit(ctx.db, {
        companyId: ctx.company.id,
        actor: ctx.actor,
        action: "integration.import_cancelled",
        target: { type: "sync_run", id: input.runId, label: "Tenable.io import" },
      });
      return { cancelled };
    }),
});
