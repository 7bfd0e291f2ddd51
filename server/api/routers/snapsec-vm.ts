// Snapsec VM: the connect wizard (a server-side draft that resumes where it was left), its settings, Test
// connection, Forward existing issues and Disconnect. Reads are company-scoped; every change is admin-only.
import { TRPCError } from "@trpc/server";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import { getLiveIntegration, getOrCreateDraftIntegration, updateLiveIntegration } from "@/db/queries/integrations";
import {
  assessmentModes,
  assessmentRefSchema,
  assets,
  defaultForwardingSettings,
  type ForwardingSettings,
  vmStatusMappingSchema,
} from "@/db/schema";
import { furthestStep, nextStep, vmWizardSteps, type VmWizardStep } from "@/lib/integration-wizard";
import { createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { type AuditAction, type AuditActor, recordAudit } from "@/server/audit";
import { dropOutbox, forwardingCounts, queueBackfill } from "@/server/forwarding/outbox";
import { toPublicIntegration } from "@/server/integrations/public-view";
import { removeIntegration } from "@/server/integrations/salt-setup";
import {
  isSnapsecVmError,
  parseVmCustomHeaders,
  readVmCustomHeaders,
  sealVmCredentials,
  sealVmCustomHeaders,
  VM_LIMITS,
} from "@/server/integrations/snapsec-vm";
import { checkNewVmKey, checkStoredVmKey, createVmAssessment, diagnoseVm, listVmAssessments } from "@/server/integrations/snapsec-vm/setup";

const manage = permissionProcedure("integrations:manage");
const byId = z.object({ id: z.uuid() });
const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Snapsec VM integration not found." });

async function live(ctx: { db: Queryable; company: { id: string } }, id: string) {
  const row = await getLiveIntegration(ctx.db, { companyId: ctx.company.id, kind: "snapsec_vm" });
  if (!row || row.id !== id) throw notFound();
  return row;
}

function audit(tx: Queryable, ctx: { company: { id: string }; actor: AuditActor }, integrationId: string, action: AuditAction, details: Record<string, unknown> = {}) {
  return recordAudit(tx, { companyId: ctx.company.id, actor: ctx.actor, action, target: { type: "integration", id: integrationId, label: "Snapsec VM" }, details });
}

const step = (current: string, done: VmWizardStep) => furthestStep<VmWizardStep>(current, nextStep<VmWizardStep>(done, vmWizardSteps), vmWizardSteps);

function vmFailure(error: unknown): never {
  if (isSnapsecVmError(error)) throw new TRPCError({ code: "BAD_GATEWAY", message: error.message, cause: error });
  throw error;
}

/** The VM's assessments named in the settings (for Test connection). */
function chosenAssessments(forwarding: ForwardingSettings) {
  const all = [forwarding.unifiedAssessment, ...(forwarding.assessmentMode === "per_project" ? Object.values(forwarding.projectAssessments) : [])];
  return [...new Map(all.filter((a) => a !== null).map((a) => [a.id, a])).values()];
}

export const snapsecVmRouter = createTRPCRouter({
  /**
   * Credentials: the base URL and key, checked against VM before they are stored (encrypted). The key is not
   * trimmed: a key with spaces is refused with "the key has extra spaces — copy it again". Without `apiKey` the
   * stored key is checked again (e.g. after a base URL change). A refusal is an answer `{ ok: false, message }`.
   */
  saveCredentials: manage
    .input(z.object({ baseUrl: z.string().trim().min(1, "Enter the VM base URL.").max(2000), apiKey: z.string().max(4000).optional() }))
    .mutation(async ({ ctx, input }) => {
      const existing = await getLiveIntegration(ctx.db, { companyId: ctx.company.id, kind: "snapsec_vm" });
      if (input.apiKey === "" || (input.apiKey === undefined && !existing?.credentialsEncrypted)) {
        return { ok: false as const, code: "invalid_key" as const, message: "Paste your VM API key (VM → Settings → API Keys)." };
      }
      const check =
        input.apiKey !== undefined
          ? await checkNewVmKey({ baseUrl: input.baseUrl, apiKey: input.apiKey, customHeaders: existing ? readVmCustomHeaders(existing) : {} })
          : await checkStoredVmKey(existing!, { baseUrl: input.baseUrl });
      if (!check.ok) return check;
      const draft = existing ?? (await getOrCreateDraftIntegration(ctx.db, { companyId: ctx.company.id, kind: "snapsec_vm" }));
      const row = await ctx.db.transaction(async (tx) => {
        const updated = await updateLiveIntegration(
          tx,
          { companyId: ctx.company.id, id: draft.id },
          {
            baseUrl: input.baseUrl,
            ...(input.apiKey !== undefined ? { credentialsEncrypted: sealVmCredentials(input.apiKey) } : {}),
            forwarding: draft.forwarding ?? defaultForwardingSettings,
            wizardStep: step(draft.wizardStep, "credentials"),
            lastCheckedAt: new Date(),
            lastCheckError: null,
          },
        );
        if (updated) await audit(tx, ctx, draft.id, "integration.credentials_replaced", { baseUrl: { from: draft.baseUrl, to: input.baseUrl }, keyReplaced: input.apiKey !== undefined });
        return updated;
      });
      if (!row) throw notFound();
      return { ok: true as const, warning: check.warning, workspace: check.workspace, integration: toPublicIntegration(row) };
    }),

  /**
   * Custom headers: "key: value" per line, each validated (format, no CR/LF, no overriding the key, Authorization,
   * Host, Content-Length), tested against VM with the stored key, then stored encrypted. `keep` keeps the stored
   * values of the names listed (the form shows them masked); an empty text removes every header.
   */
  saveHeaders: manage
    .input(z.object({ id: z.uuid(), text: z.string().max(4000), keep: z.array(z.string().max(200)).max(50).default([]) }))
    .mutation(async ({ ctx, input }) => {
      const row = await live(ctx, input.id);
      let headers: Record<string, string>;
      try {
        headers = parseVmCustomHeaders(input.text);
      } catch (error) {
        if (isSnapsecVmError(error)) return { ok: false as const, message: error.message };
        throw error;
      }
      const stored = readVmCustomHeaders(row);
      for (const name of input.keep) {
        const key = Object.keys(stored).find((k) => k.toLowerCase() === name.toLowerCase());
        if (key && !(key in headers)) headers[key] = stored[key]!;
      }
      const check = await checkStoredVmKey(row, { customHeaders: headers });
      if (!check.ok) return { ok: false as const, message: check.message };
      const updated = await ctx.db.transaction(async (tx) => {
        const next = await updateLiveIntegration(tx, { companyId: ctx.company.id, id: row.id }, { customHeadersEncrypted: sealVmCustomHeaders(headers), wizardStep: step(row.wizardStep, "headers") });
        if (next) await audit(tx, ctx, row.id, "integration.custom_headers_changed", { names: Object.keys(headers) });
        return next;
      });
      if (!updated) throw notFound();
      return { ok: true as const, names: Object.keys(headers), integration: toPublicIntegration(updated) };
    }),

  /** The VM's assessments for the dropdowns. */
  assessments: manage.input(byId).query(async ({ ctx, input }) => {
    const row = await live(ctx, input.id);
    const list = await listVmAssessments(row).catch(vmFailure);
    return list.map((a) => ({ id: a.id, name: a.name, stage: a.stage, open: a.counts.open }));
  }),

  createAssessment: manage
    .input(z.object({ id: z.uuid(), name: z.string().trim().min(1, "Name the assessment.").max(VM_LIMITS.assessmentName) }))
    .mutation(async ({ ctx, input }) => {
      const row = await live(ctx, input.id);
      const created = await createVmAssessment(row, input.name).catch(vmFailure);
      return { id: created.id, name: created.name };
    }),

  /** Projects (FQDN assets) for the per-project table. */
  projects: manage.input(byId).query(async ({ ctx, input }) => {
    await live(ctx, input.id);
    return ctx.db
      .select({ id: assets.id, name: assets.name })
      .from(assets)
      .where(and(eq(assets.companyId, ctx.company.id), eq(assets.assetType, "domain")))
      .orderBy(asc(assets.name))
      .limit(1000);
  }),

  saveAssessmentMapping: manage
    .input(
      z.object({
        id: z.uuid(),
        assessmentMode: z.enum(assessmentModes),
        unifiedAssessment: assessmentRefSchema,
        projectAssessments: z.record(z.uuid(), assessmentRefSchema).default({}),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const row = await live(ctx, input.id);
      const known = new Set((await listVmAssessments(row).catch(vmFailure)).map((a) => a.id));
      const chosen = [input.unifiedAssessment, ...Object.values(input.projectAssessments)];
      const gone = chosen.filter((a) => !known.has(a.id));
      if (gone.length > 0) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `VM has no assessment ${gone.map((a) => a.name || a.id).join(", ")} any more: choose another.` });
      }
      const forwarding: ForwardingSettings = {
        ...(row.forwarding ?? defaultForwardingSettings),
        assessmentMode: input.assessmentMode,
        unifiedAssessment: input.unifiedAssessment,
        projectAssessments: input.assessmentMode === "per_project" ? input.projectAssessments : {},
      };
      const updated = await ctx.db.transaction(async (tx) => {
        const next = await updateLiveIntegration(tx, { companyId: ctx.company.id, id: row.id }, { forwarding, wizardStep: step(row.wizardStep, "assessments") });
        if (next) await audit(tx, ctx, row.id, "integration.assessments_changed", { mode: input.assessmentMode, unified: input.unifiedAssessment.name, projects: Object.keys(forwarding.projectAssessments).length });
        return next;
      });
      if (!updated) throw notFound();
      return toPublicIntegration(updated);
    }),

  saveStatusSync: manage
    .input(z.object({ id: z.uuid(), autoSync: z.boolean(), statusMapping: vmStatusMappingSchema }))
    .mutation(async ({ ctx, input }) => {
      const row = await live(ctx, input.id);
      const forwarding: ForwardingSettings = { ...(row.forwarding ?? defaultForwardingSettings), autoSync: input.autoSync, statusMapping: input.statusMapping };
      const updated = await ctx.db.transaction(async (tx) => {
        const next = await updateLiveIntegration(tx, { companyId: ctx.company.id, id: row.id }, { forwarding, wizardStep: step(row.wizardStep, "status") });
        if (next) await audit(tx, ctx, row.id, "integration.status_mapping_changed", { autoSync: input.autoSync });
        return next;
      });
      if (!updated) throw notFound();
      return toPublicIntegration(updated);
    }),

  /** Last step: the draft becomes connected; from now on new and changed issues are forwarded. */
  finish: manage.input(byId).mutation(async ({ ctx, input }) => {
    const row = await live(ctx, input.id);
    if (!row.credentialsEncrypted || !row.baseUrl) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Enter and check the VM base URL and API key first." });
    if (!row.forwarding?.unifiedAssessment) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Choose the assessment that stores the threats first." });
    const updated = await ctx.db.transaction(async (tx) => {
      const next = await updateLiveIntegration(tx, { companyId: ctx.company.id, id: row.id }, { state: "connected", wizardStep: "done" });
      if (next && row.state !== "connected") await audit(tx, ctx, row.id, "integration.connected", { baseUrl: row.baseUrl });
      return next;
    });
    if (!updated) throw notFound();
    return toPublicIntegration(updated);
  }),

  testConnection: manage.input(byId).mutation(async ({ ctx, input }) => {
    const row = await live(ctx, input.id);
    const checks = await diagnoseVm(row, chosenAssessments(row.forwarding ?? defaultForwardingSettings));
    const failed = checks.find((c) => !c.ok);
    const now = new Date();
    await updateLiveIntegration(ctx.db, { companyId: ctx.company.id, id: row.id }, { lastCheckedAt: now, lastCheckError: failed?.message ?? null });
    return { checks, checkedAt: now };
  }),

  /** Forward existing issues: every issue goes through the filters once more; progress through `progress`. */
  backfill: manage.input(byId).mutation(async ({ ctx, input }) => {
    const row = await live(ctx, input.id);
    if (row.state !== "connected") throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Finish connecting Snapsec VM first." });
    return ctx.db.transaction(async (tx) => {
      const result = await queueBackfill(tx, { companyId: ctx.company.id, integrationId: row.id });
      await audit(tx, ctx, row.id, "integration.backfill_started", { queued: result.queued });
      return result;
    });
  }),

  progress: manage.input(byId).query(async ({ ctx, input }) => {
    const row = await live(ctx, input.id);
    return forwardingCounts(ctx.db, { companyId: ctx.company.id, integrationId: row.id });
  }),

  /** Stops forwarding and erases the key and headers; what VM has stays there. */
  disconnect: manage.input(byId).mutation(async ({ ctx, input }) => {
    const row = await live(ctx, input.id);
    await ctx.db.transaction(async (tx) => {
      await dropOutbox(tx, { companyId: ctx.company.id, integrationId: row.id });
      await removeIntegration(tx, { companyId: ctx.company.id, id: row.id });
      await audit(tx, ctx, row.id, "integration.removed", {});
    });
    return { removed: true };
  }),
});
