// Integrations: the catalog, the Salt Security connect wizard (a server-side draft that resumes where it was left)
// and the settings of a connected integration. Reads are company-scoped; every change is admin-only.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { unreachableFromInternet } from "@/lib/public-address";
import { userText } from "@/lib/validation/text";
import { REJECTED_DELIVERIES_KEPT, rejectedDeliveryTotal } from "@/server/webhooks/rejections";
import {
  getIntegrationById,
  getLiveIntegration,
  getOrCreateDraftIntegration,
  lastWebhookDeliveries,
  listAssociatedDomains,
  listIntegrationLabels,
  updateLiveIntegration,
} from "@/db/queries/integrations";
import {
  integrationKinds,
  type IntegrationSettings,
  integrationSettingsSchema,
  saltRegions,
  severityFilterSchema,
  statusMappingSchema,
} from "@/db/schema";
import { APPLICATION_LABEL_PREFIX_MAX, applicationFromLabel, applicationLabelPrefix } from "@/lib/application-labels";
import {
  apiKeyInvalidCharacters,
  furthestStep,
  hasOnlyApiKeyCharacters,
  isWizardStep,
  nextStep,
  SALT_WEBHOOK_PATH,
  vmWizardSteps,
  type VmWizardStep,
  statusMappingWarnings,
  type WizardStep,
} from "@/lib/integration-wizard";
import type { Database, Queryable } from "@/db/client";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { type AuditAction, type AuditActor, recordAudit } from "@/server/audit";
import { appOrigin } from "@/server/env";
import { toPublicIntegration } from "@/server/integrations/public-view";
import {
  browseHostsForIntegration,
  checkNewSaltKey,
  checkStoredSaltKey,
  knownSaltHosts,
  previousSaltDomains,
  removeIntegration,
} from "@/server/integrations/salt-setup";
import { isSaltError } from "@/server/integrations/salt-security";
import { sendTestWebhook } from "@/server/integrations/webhook-test";
import { rotateWebhookToken } from "@/server/integrations/webhook-token";
import { encryptSecret, decryptSecret } from "@/server/security/secrets";
import { associateDomains, detachDomain, IntegrationNotFoundError, reattachDomains } from "@/server/sync";

const integrationNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Integration not found." });
const manage = permissionProcedure("integrations:manage");
const byIdInput = z.object({ id: z.uuid() });

export const integrationCatalog = [
  {
    kind: "salt_security",
    slug: "salt-security",
    name: "Salt Security",
    category: "API security",
    description: "Import the APIs Salt discovers and their posture gaps, and write status changes back to Salt.",
  },
  {
    kind: "snapsec_vm",
    slug: "snapsec-vm",
    name: "Snapsec VM",
    category: "Vulnerability management",
    description: "Forward Postura's issues to Snapsec Vulnerability Management assessments, with threat context and status auto-sync.",
  },
] as const satisfies readonly { kind: (typeof integrationKinds)[number]; slug: string; name: string; category: string; description: string }[];

/** A live integration of the caller's company, or NOT_FOUND (also for another company's id). */
async function liveIntegration(ctx: { db: Parameters<typeof getIntegrationById>[0]; company: { id: string } }, id: string) {
  const row = await getIntegrationById(ctx.db, { companyId: ctx.company.id, id });
  if (!row || row.state === "removed") throw integrationNotFound();
  return row;
}

const applicationLabelPrefixInput = userText({ max: APPLICATION_LABEL_PREFIX_MAX });

/**
 * Saves part of a live integration's settings with its audit row, in one transaction; moves a draft's wizard on
 * past `step` when given.
 */
async function saveSettings(
  ctx: { db: Database; company: { id: string }; actor: AuditActor },
  id: string,
  patch: Partial<IntegrationSettings>,
  audit: { step?: WizardStep; action: AuditAction; details: (current: IntegrationSettings) => Record<string, unknown> },
) {
  const current = await liveIntegration(ctx, id);
  // Each kind's wizard has its own steps: a draft moves on past this one in its own (where it has it).
  const wizardStep = (step: WizardStep) =>
    current.kind !== "snapsec_vm"
      ? furthestStep(current.wizardStep, nextStep(step))
      : isWizardStep(step, vmWizardSteps)
        ? furthestStep<VmWizardStep>(current.wizardStep, nextStep<VmWizardStep>(step as VmWizardStep, vmWizardSteps), vmWizardSteps)
        : current.wizardStep;
  const row = await ctx.db.transaction(async (tx) => {
    const updated = await updateLiveIntegration(
      tx,
      { companyId: ctx.company.id, id: current.id },
      { settings: { ...current.settings, ...patch }, ...(audit.step ? { wizardStep: wizardStep(audit.step) } : {}) },
    );
    if (updated) {
      const label = integrationCatalog.find((e) => e.kind === current.kind)?.name;
      await auditIntegration(tx, ctx, current.id, audit.action, audit.details(current.settings), label);
    }
    return updated;
  });
  if (!row) throw integrationNotFound();
  return toPublicIntegration(row);
}

/** The audit row for a change to the integration, written with the change's transaction. Never pass a secret. */
function auditIntegration(
  tx: Queryable,
  ctx: { company: { id: string }; actor: AuditActor },
  integrationId: string,
  action: AuditAction,
  details: Record<string, unknown> = {},
  label = "Salt Security",
) {
  return recordAudit(tx, {
    companyId: ctx.company.id,
    actor: ctx.actor,
    action,
    target: { type: "integration", id: integrationId, label },
    details,
  });
}

/** The entries of a settings object that changed, as `{ key: { from, to } }`: what the audit log shows. */
function changedEntries<T extends Record<string, unknown>>(before: T, after: T): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changed;
}

function saltFailure(error: unknown): never {
  if (isSaltError(error)) throw new TRPCError({ code: "BAD_GATEWAY", message: error.message, cause: error });
  throw error;
}

export const integrationsRouter = createTRPCRouter({
  /** Every integration Postura offers, with the company's live one of each kind (if any). */
  catalog: companyProcedure.query(async ({ ctx }) => {
    return Promise.all(
      integrationCatalog.map(async (entry) => {
        const row = await getLiveIntegration(ctx.db, { companyId: ctx.company.id, kind: entry.kind });
        return { ...entry, integration: row ? toPublicIntegration(row) : null };
      }),
    );
  }),

  live: companyProcedure.input(z.object({ kind: z.enum(integrationKinds) })).query(async ({ ctx, input }) => {
    const row = await getLiveIntegration(ctx.db, { companyId: ctx.company.id, kind: input.kind });
    return row ? toPublicIntegration(row) : null;
  }),

  byId: companyProcedure.input(byIdInput).query(async ({ ctx, input }) => {
    const row = await getIntegrationById(ctx.db, { companyId: ctx.company.id, id: input.id });
    if (!row) throw integrationNotFound();
    return toPublicIntegration(row);
  }),

  /**
   * Credentials step: validates the key with Salt, then stores it encrypted (creating the draft on first success).
   * Without `apiKey` the stored key is checked again (e.g. after a region change); an empty `apiKey` is refused.
   * A key with characters that cannot be sent (zero-width space, CR/LF, NUL, non-Latin-1) fails the input. A
   * refused key is an answer, not an error: `{ ok: false, code, message }` with the message to show as is.
   */
  saveCredentials: manage
    .input(
      z.object({
        region: z.enum(saltRegions),
        apiKey: z.string().max(4000).trim().refine(hasOnlyApiKeyCharacters, apiKeyInvalidCharacters).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const existing = await getLiveIntegration(ctx.db, { companyId: ctx.company.id, kind: "salt_security" });
      const apiKey = input.apiKey ?? "";
      let check;
      if (input.apiKey === "") {
        // An emptied key field is not a request to re-check the stored key: that is a call without `apiKey`.
        return { ok: false as const, code: "invalid_key" as const, message: "Paste your Salt Security API key." };
      } else if (apiKey !== "") {
        check = await checkNewSaltKey({ region: input.region, apiKey, customHeaders: existing?.settings.customHeaders ?? "" });
      } else if (existing?.credentialsEncrypted) {
        check = await checkStoredSaltKey(existing, input.region);
      } else {
        return { ok: false as const, code: "invalid_key" as const, message: "Paste your Salt Security API key." };
      }
      if (!check.ok) return check;

      const draft = existing ?? (await getOrCreateDraftIntegration(ctx.db, { companyId: ctx.company.id, kind: "salt_security" }));
      const row = await ctx.db.transaction(async (tx) => {
        const updated = await updateLiveIntegration(
          tx,
          { companyId: ctx.company.id, id: draft.id },
          {
            region: input.region,
            canWriteBack: check.canWriteBack,
            ...(apiKey !== "" ? { credentialsEncrypted: encryptSecret(JSON.stringify({ apiKey })) } : {}),
            wizardStep: furthestStep(draft.wizardStep, nextStep("credentials")),
            lastCheckedAt: new Date(),
            lastCheckError: null,
          },
        );
        if (updated && (apiKey !== "" || draft.region !== input.region)) {
          await auditIntegration(tx, ctx, draft.id, "integration.credentials_replaced", {
            region: { from: draft.region, to: input.region },
            keyReplaced: apiKey !== "",
            firstKey: apiKey !== "" && !draft.credentialsEncrypted,
          });
        }
        return updated;
      });
      if (!row) throw integrationNotFound();
      return { ok: true as const, warning: check.warning, integration: toPublicIntegration(row) };
    }),

  saveStatusMapping: manage
    .input(z.object({ id: z.uuid(), statusMapping: statusMappingSchema }))
    .mutation(async ({ ctx, input }) => {
      const integration = await saveSettings(ctx, input.id, { statusMapping: input.statusMapping }, {
        step: "mapping",
        action: "integration.status_mapping_changed",
        details: (current) => changedEntries(current.statusMapping, input.statusMapping),
      });
      return { integration, warnings: statusMappingWarnings(input.statusMapping) };
    }),

  saveSeverityFilter: manage
    .input(z.object({ id: z.uuid(), severityFilter: severityFilterSchema }))
    .mutation(async ({ ctx, input }) => {
      const integration = await saveSettings(ctx, input.id, { severityFilter: input.severityFilter }, {
        step: "severities",
        action: "integration.severity_filter_changed",
        details: (current) => changedEntries(current.severityFilter, input.severityFilter),
      });
      return { integration };
    }),

  /** How often a full re-sync checks for changes no webhook announced (0 turns it off). */
  saveReconciliation: manage
    .input(z.object({ id: z.uuid(), reconciliationIntervalHours: integrationSettingsSchema.shape.reconciliationIntervalHours }))
    .mutation(async ({ ctx, input }) => {
      const integration = await saveSettings(ctx, input.id, { reconciliationIntervalHours: input.reconciliationIntervalHours }, {
        action: "integration.reconciliation_changed",
        details: (current) => ({ intervalHours: { from: current.reconciliationIntervalHours, to: input.reconciliationIntervalHours } }),
      });
      return { integration };
    }),

  /** Which Salt labels become applications: those starting with the prefix ("" = every label). From the next sync. */
  saveApplicationLabelPrefix: manage
    .input(z.object({ id: z.uuid(), applicationLabelPrefix: applicationLabelPrefixInput }))
    .mutation(async ({ ctx, input }) => {
      const integration = await saveSettings(ctx, input.id, { applicationLabelPrefix: input.applicationLabelPrefix }, {
        action: "integration.application_labels_changed",
        details: (current) => ({ prefix: { from: applicationLabelPrefix(current), to: input.applicationLabelPrefix } }),
      });
      return { integration };
    }),

  /** The labels the integration's assets carry, each with the application it names under a prefix (the preview). */
  labels: manage
    .input(z.object({ id: z.uuid(), applicationLabelPrefix: applicationLabelPrefixInput }))
    .query(async ({ ctx, input }) => {
      const integration = await liveIntegration(ctx, input.id);
      const labels = await listIntegrationLabels(ctx.db, { companyId: ctx.company.id, integrationId: integration.id });
      return {
        labels: labels.map((l) => ({ ...l, application: applicationFromLabel(l.label, input.applicationLabelPrefix) })),
      };
    }),

  /** The domain picker: Salt's hosts, searched and paged on the server, each marked if already associated. */
  hosts: manage
    .input(
      z.object({
        id: z.uuid(),
        q: userText({ max: 253 }).default(""),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(5).max(100).default(25),
      }),
    )
    .query(async ({ ctx, input }) => {
      const row = await liveIntegration(ctx, input.id);
      const result = await browseHostsForIntegration(row, input).catch(saltFailure);
      const associated = new Set(
        (await listAssociatedDomains(ctx.db, { companyId: ctx.company.id, integrationId: row.id })).map((d) => d.host),
      );
      return { ...result, hosts: result.hosts.map((h) => ({ ...h, associated: associated.has(h.host) })) };
    }),

  domains: companyProcedure.input(byIdInput).query(async ({ ctx, input }) => {
    const row = await liveIntegration(ctx, input.id);
    return listAssociatedDomains(ctx.db, { companyId: ctx.company.id, integrationId: row.id });
  }),

  /** Associates hosts Salt has discovered: one FQDN asset each, and its first sync is queued. */
  addDomains: manage
    .input(z.object({ id: z.uuid(), hosts: z.array(userText({ max: 253 }).min(1)).min(1).max(1000) }))
    .mutation(async ({ ctx, input }) => {
      const row = await liveIntegration(ctx, input.id);
      const known = await knownSaltHosts(row, input.hosts).catch(saltFailure);
      const unknown = input.hosts.filter((h) => !known.has(h));
      if (unknown.length > 0) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `Salt has not discovered ${unknown.slice(0, 3).join(", ")}${unknown.length > 3 ? "…" : ""}.` });
      }
      try {
        const { created } = await ctx.db.transaction(async (tx) => {
          const result = await associateDomains(tx, { companyId: ctx.company.id, integrationId: row.id, hosts: input.hosts });
          await auditIntegration(tx, ctx, row.id, "integration.domains_added", {
            count: input.hosts.length,
            hosts: input.hosts.slice(0, 50),
          });
          return result;
        });
        return { created };
      } catch (error) {
        if (error instanceof IntegrationNotFoundError) throw integrationNotFound();
        throw error;
      }
    }),

  /**
   * Domains an earlier, removed Salt integration synced (the same company only), each saying whether this key's Salt
   * account still knows it: the Configuration step offers to re-attach them.
   */
  previousDomains: manage.input(byIdInput).query(async ({ ctx, input }) => {
    const row = await liveIntegration(ctx, input.id);
    if (row.kind !== "salt_security") return [];
    return previousSaltDomains(ctx.db, row).catch(saltFailure);
  }),

  /**
   * Re-attaches domains of a removed Salt integration: the same FQDN asset rows, so their issues, history, owners and
   * comments stay; their sync is queued. A host this Salt account does not know is refused.
   */
  reattachDomains: manage
    .input(z.object({ id: z.uuid(), assetIds: z.array(z.uuid()).min(1, "Choose at least one domain to re-attach.").max(1000) }))
    .mutation(async ({ ctx, input }) => {
      const row = await liveIntegration(ctx, input.id);
      if (row.kind !== "salt_security") throw integrationNotFound();
      const offered = await previousSaltDomains(ctx.db, row).catch(saltFailure);
      const chosen = offered.filter((d) => input.assetIds.includes(d.id));
      if (chosen.length !== new Set(input.assetIds).size) {
        throw new TRPCError({ code: "NOT_FOUND", message: "Some of those domains are no longer waiting to be re-attached. Reload the page and choose again." });
      }
      const missing = chosen.filter((d) => !d.found).map((d) => d.host);
      if (missing.length > 0) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `This Salt account does not know ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? "…" : ""}: leave ${missing.length === 1 ? "it" : "them"} out.`,
        });
      }
      try {
        return await ctx.db.transaction(async (tx) => {
          const result = await reattachDomains(tx, { companyId: ctx.company.id, integrationId: row.id, assetIds: input.assetIds });
          await auditIntegration(tx, ctx, row.id, "integration.domains_reattached", {
            count: result.reattached.length,
            hosts: result.reattached.slice(0, 50).map((d) => d.host),
          });
          return result;
        });
      } catch (error) {
        if (error instanceof IntegrationNotFoundError) throw integrationNotFound();
        throw error;
      }
    }),

  /** Stops syncing a domain; its assets and issues stay, marked as no longer synced. */
  removeDomain: manage.input(z.object({ id: z.uuid(), assetId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const row = await liveIntegration(ctx, input.id);
    const { detached } = await ctx.db.transaction(async (tx) => {
      const result = await detachDomain(tx, { companyId: ctx.company.id, integrationId: row.id, assetId: input.assetId });
      if (result.detached) await auditIntegration(tx, ctx, row.id, "integration.domain_removed", { assetId: input.assetId });
      return result;
    });
    if (!detached) throw new TRPCError({ code: "NOT_FOUND", message: "That domain is not associated with this integration." });
    return { detached };
  }),

  /** Last wizard step: the draft becomes the company's connected integration, with a webhook token. */
  finish: manage.input(byIdInput).mutation(async ({ ctx, input }) => {
    const row = await liveIntegration(ctx, input.id);
    if (!row.credentialsEncrypted || !row.region) {
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Enter and validate the Salt Security API key first." });
    }
    const connected = await ctx.db.transaction(async (tx) => {
      if (!row.webhookTokenHash) await rotateWebhookToken(tx, { companyId: ctx.company.id, integrationId: row.id });
      const updated = await updateLiveIntegration(tx, { companyId: ctx.company.id, id: row.id }, { state: "connected", wizardStep: "done" });
      if (updated && row.state !== "connected") await auditIntegration(tx, ctx, row.id, "integration.connected", { region: row.region });
      return updated;
    });
    if (!connected) throw integrationNotFound();
    return toPublicIntegration(connected);
  }),

  checkConnection: manage.input(byIdInput).mutation(async ({ ctx, input }) => {
    const row = await liveIntegration(ctx, input.id);
    const check = await checkStoredSaltKey(row);
    const now = new Date();
    await updateLiveIntegration(
      ctx.db,
      { companyId: ctx.company.id, id: row.id },
      check.ok ? { lastCheckedAt: now, lastCheckError: null, canWriteBack: check.canWriteBack } : { lastCheckedAt: now, lastCheckError: check.message },
    );
    return { ...check, checkedAt: now };
  }),

  remove: manage.input(byIdInput).mutation(async ({ ctx, input }) => {
    const result = await ctx.db.transaction(async (tx) => {
      const removed = await removeIntegration(tx, { companyId: ctx.company.id, id: input.id });
      if (removed) await auditIntegration(tx, ctx, input.id, "integration.removed", { detachedDomains: removed.detachedDomains });
      return removed;
    });
    if (!result) throw integrationNotFound();
    return result;
  }),

  /** What to paste into Salt's Custom Webhook, and what arrived last. The token itself needs `revealWebhookToken`. */
  webhook: manage.input(byIdInput).query(async ({ ctx, input }) => {
    const row = await liveIntegration(ctx, input.id);
    const deliveries = await lastWebhookDeliveries(ctx.db, { companyId: ctx.company.id, integrationId: row.id });
    const rejectedTotal = await rejectedDeliveryTotal(ctx.db, { companyId: ctx.company.id, integrationId: row.id });
    const url = `${appOrigin()}${SALT_WEBHOOK_PATH}`;
    return {
      url,
      /** Why Salt's cloud cannot call `url` (APP_URL on a loopback or private address), or null. */
      unreachable: unreachableFromInternet(url),
      companyId: ctx.company.publicId,
      tokenConfigured: row.webhookTokenHash !== null,
      previousTokenExpiresAt: row.previousWebhookTokenExpiresAt,
      lastReceived: deliveries.received,
      lastRejected: deliveries.rejected,
      rejectedTotal,
      rejectedKept: REJECTED_DELIVERIES_KEPT,
    };
  }),

  /**
   * Posts a test event to our own webhook URL with the stored token (server/integrations/webhook-test.ts). The
   * token never leaves the server; the answer says whether the receiver took it, and why not.
   */
  sendTestWebhook: manage.input(byIdInput).mutation(async ({ ctx, input }) => {
    const row = await liveIntegration(ctx, input.id);
    if (!row.webhookTokenEncrypted) throw new TRPCError({ code: "NOT_FOUND", message: "No webhook token yet: rotate to create one." });
    return sendTestWebhook({
      url: `${appOrigin()}${SALT_WEBHOOK_PATH}`,
      companyId: ctx.company.publicId,
      webhookToken: decryptSecret(row.webhookTokenEncrypted),
    });
  }),

  /** A mutation, not a query: revealing a secret is an action, and it must never be prefetched or cached. */
  revealWebhookToken: manage.input(byIdInput).mutation(async ({ ctx, input }) => {
    const row = await liveIntegration(ctx, input.id);
    if (!row.webhookTokenEncrypted) throw new TRPCError({ code: "NOT_FOUND", message: "No webhook token yet: rotate to create one." });
    await auditIntegration(ctx.db, ctx, row.id, "integration.webhook_token_revealed");
    return { token: decryptSecret(row.webhookTokenEncrypted) };
  }),

  rotateWebhookToken: manage.input(byIdInput).mutation(async ({ ctx, input }) => {
    const row = await liveIntegration(ctx, input.id);
    const result = await ctx.db.transaction(async (tx) => {
      const rotated = await rotateWebhookToken(tx, { companyId: ctx.company.id, integrationId: row.id });
      if (rotated) await auditIntegration(tx, ctx, row.id, "integration.webhook_token_rotated");
      return rotated;
    });
    if (!result) throw integrationNotFound();
    return result;
  }),
});
