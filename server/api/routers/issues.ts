import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getIssueDetail, listIssueCategories, listIssues, listStatusHistory } from "@/db/queries/issues";
import { integrationKinds, issueStatuses, severities, writeBackStates } from "@/db/schema";
import { issueSorts, MAX_PAGE, sortDirections } from "@/lib/list-options";
import { userText } from "@/lib/validation/text";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { changeIssueStatusByUser } from "@/server/issues/status";
import { getIntegrationById } from "@/db/queries/integrations";
import { latestWriteBack, retryWriteBack } from "@/server/writeback/outbox";
import { confidences } from "@/db/schema";
import { issueForwardState } from "@/server/forwarding/issue-state";
import { retryForward } from "@/server/forwarding/outbox";
import { saveThreatModel, threatModelLimits } from "@/server/issues/threat-model";

const issueNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Issue not found." });

export const issueListInput = z.object({
  q: userText({ max: 200 }).optional(),
  severities: z.array(z.enum(severities)).max(severities.length).optional(),
  statuses: z.array(z.enum(issueStatuses)).max(issueStatuses.length).optional(),
  category: userText({ max: 200 }).optional(),
  source: z.enum([...integrationKinds, "manual"]).optional(),
  assetId: z.uuid().optional(),
  fqdnIds: z.array(z.uuid()).max(50).optional(),
  writeBack: z.enum(writeBackStates).optional(),
  sort: z.enum(issueSorts).default("severity"),
  dir: z.enum(sortDirections).default("desc"),
  page: z.number().int().min(1).max(MAX_PAGE).default(1),
});

export const issuesRouter = createTRPCRouter({
  /** The issue with its asset and domain. */
  byId: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const issue = await getIssueDetail(ctx.db, { companyId: ctx.company.id, id: input.id });
    if (!issue) throw issueNotFound();
    return issue;
  }),

  list: companyProcedure.input(issueListInput).query(({ ctx, input }) => listIssues(ctx.db, { companyId: ctx.company.id, ...input })),

  categories: companyProcedure.query(({ ctx }) => listIssueCategories(ctx.db, { companyId: ctx.company.id })),

  history: companyProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) =>
    listStatusHistory(ctx.db, { companyId: ctx.company.id, issueId: input.id }),
  ),

  setStatus: permissionProcedure("issues:change_status")
    .input(z.object({ id: z.uuid(), status: z.enum(issueStatuses), note: userText({ max: 1000, multiline: true }).optional() }))
    .mutation(async ({ ctx, input }) => {
      const result = await changeIssueStatusByUser(ctx.db, {
        companyId: ctx.company.id,
        issueId: input.id,
        status: input.status,
        userId: ctx.user.id,
        note: input.note,
        actor: ctx.actor,
      });
      if (!result) throw issueNotFound();
      return { issue: result.issue, changed: result.change !== null };
    }),

  /** Where telling the source about the latest status change stands: pending, done, skipped (why) or failed (why). */
  writeBack: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const row = await latestWriteBack(ctx.db, { companyId: ctx.company.id, issueId: input.id });
    if (!row) return null;
    const integration = await getIntegrationById(ctx.db, { companyId: ctx.company.id, id: row.integrationId });
    return {
      state: row.state,
      toStatus: row.toStatus,
      externalStatus: row.externalStatus,
      reason: row.lastError,
      attempts: row.attempts,
      updatedAt: row.updatedAt,
      writeBackEnabled: integration?.canWriteBack ?? false,
    };
  }),

  retryWriteBack: permissionProcedure("issues:change_status")
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.db.transaction((tx) => retryWriteBack(tx, { companyId: ctx.company.id, issueId: input.id }));
      if (!result) throw new TRPCError({ code: "BAD_REQUEST", message: "There is no failed write-back to retry for this issue." });
      return result;
    }),

  /** Where the issue's Snapsec VM record is (null when nothing is forwarded). */
  forwarding: companyProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) =>
    issueForwardState(ctx.db, { companyId: ctx.company.id, issueId: input.id }),
  ),

  /** Retry a forward that failed after its last attempt (analysts and admins). */
  retryForward: permissionProcedure("issues:change_status")
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.db.transaction((tx) => retryForward(tx, { companyId: ctx.company.id, issueId: input.id }));
      if (!result) throw new TRPCError({ code: "BAD_REQUEST", message: "There is no failed forward to retry for this issue." });
      return result;
    }),

  /** Threat model: confidence, mitigation notes and attack vectors (forwarded to Snapsec VM). */
  setThreatModel: permissionProcedure("issues:edit_threat_model")
    .input(
      z.object({
        id: z.uuid(),
        confidence: z.enum(confidences).nullable(),
        mitigationNotes: userText({ max: threatModelLimits.notes, multiline: true }),
        attackVectors: z.array(userText({ max: threatModelLimits.vector }).min(1)).max(threatModelLimits.vectors),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { id, ...model } = input;
      const saved = await saveThreatModel(ctx.db, { companyId: ctx.company.id, issueId: id, actor: ctx.actor, model });
      if (!saved) throw issueNotFound();
      return saved;
    }),
});
