import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { countMatchingIssues, getIssueDetail, listIssueCategories, listIssues, listStatusHistory } from "@/db/queries/issues";
import { businessImpacts } from "@/db/schema";
import { issueFilterInput, resolveIssueFilter } from "@/server/issues/filter";
import { issueSorts, MAX_PAGE, sortDirections } from "@/lib/list-options";
import { userText } from "@/lib/validation/text";
import { can, refusalMessages } from "@/server/api/permissions";
import { companyProcedure, createTRPCRouter, permissionProcedure } from "@/server/api/trpc";
import { statusChangeFields } from "@/lib/validation/status-change";
import { env } from "@/server/env";
import { applyBulkChange, BULK_MAX, type IssueSelection, NotAMemberError } from "@/server/issues/bulk";
import { addIssueComment, listAssignableMembers, listIssueComments, setIssueOwner } from "@/server/issues/collaboration";
import { changeIssueStatusByUser, undoStatusChange } from "@/server/issues/status";
import { getIntegrationById } from "@/db/queries/integrations";
import { findingConsoleLinks } from "@/server/integrations/console-links";
import { latestWriteBack, retryWriteBack } from "@/server/writeback/outbox";
import { confidences } from "@/db/schema";
import { issueForwardState } from "@/server/forwarding/issue-state";
import { retryForward } from "@/server/forwarding/outbox";
import { saveThreatModel, threatModelLimits } from "@/server/issues/threat-model";

const issueNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Issue not found." });

export const issueListInput = issueFilterInput.extend({
  sort: z.enum(issueSorts).default("severity"),
  dir: z.enum(sortDirections).default("desc"),
  page: z.number().int().min(1).max(MAX_PAGE).default(1),
});

function rethrowNotAMember(error: unknown): never {
  if (error instanceof NotAMemberError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
  throw error;
}

export const issuesRouter = createTRPCRouter({
  /** The issue with its asset and domain. */
  byId: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const issue = await getIssueDetail(ctx.db, { companyId: ctx.company.id, id: input.id });
    if (!issue) throw issueNotFound();
    const integration = issue.integrationId ? await getIntegrationById(ctx.db, { companyId: ctx.company.id, id: issue.integrationId }) : null;
    return { ...issue, consoleLinks: findingConsoleLinks(issue, integration) };
  }),

  list: companyProcedure.input(issueListInput).query(({ ctx, input }) => {
    const { sort, dir, page, ...filter } = input;
    return listIssues(ctx.db, { ...resolveIssueFilter(filter, { companyId: ctx.company.id, userId: ctx.user.id }), sort, dir, page });
  }),

  /** The exact number of issues matching a filter: what "Select all matching" will change. */
  matchingCount: companyProcedure.input(issueFilterInput).query(({ ctx, input }) =>
    countMatchingIssues(ctx.db, resolveIssueFilter(input, { companyId: ctx.company.id, userId: ctx.user.id })),
  ),

  /** Members an issue can be assigned to. */
  assignees: companyProcedure.query(({ ctx }) => listAssignableMembers(ctx.db, { companyId: ctx.company.id })),

  categories: companyProcedure.query(({ ctx }) => listIssueCategories(ctx.db, { companyId: ctx.company.id })),

  history: companyProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) =>
    listStatusHistory(ctx.db, { companyId: ctx.company.id, issueId: input.id }),
  ),

  /**
   * An explicit status change (the status dialog's Apply). Fixed, Risk Accepted and False Positive need a reason;
   * Risk Accepted an end date. The write-back waits STATUS_UNDO_SECONDS, during which `undoStatus` can take it back.
   */
  setStatus: permissionProcedure("issues:change_status")
    .input(statusChangeFields({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const result = await changeIssueStatusByUser(
        ctx.db,
        {
          companyId: ctx.company.id,
          issueId: input.id,
          status: input.status,
          userId: ctx.user.id,
          note: input.reason,
          riskAcceptedUntil: input.riskAcceptedUntil,
          actor: ctx.actor,
        },
        { delaySeconds: env.STATUS_UNDO_SECONDS },
      );
      if (!result) throw issueNotFound();
      return {
        issue: result.issue,
        changed: result.change !== null,
        statusHistoryId: result.change?.statusHistoryId ?? null,
        undoSeconds: env.STATUS_UNDO_SECONDS,
      };
    }),

  /** Takes back the caller's own latest change while its write-back has not been sent. */
  undoStatus: permissionProcedure("issues:change_status")
    .input(z.object({ id: z.uuid(), statusHistoryId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const outcome = await undoStatusChange(ctx.db, {
        companyId: ctx.company.id,
        issueId: input.id,
        statusHistoryId: input.statusHistoryId,
        userId: ctx.user.id,
        undoSeconds: env.STATUS_UNDO_SECONDS,
        actor: ctx.actor,
      });
      if (!outcome) throw issueNotFound();
      if (!outcome.undone) throw new TRPCError({ code: "CONFLICT", message: outcome.reason });
      return outcome;
    }),

  setOwner: permissionProcedure("issues:assign")
    .input(z.object({ id: z.uuid(), ownerUserId: z.string().min(1).max(100).nullable() }))
    .mutation(async ({ ctx, input }) => {
      const updated = await setIssueOwner(ctx.db, { companyId: ctx.company.id, issueId: input.id, ownerUserId: input.ownerUserId, actor: ctx.actor }).catch(
        rethrowNotAMember,
      );
      if (!updated) throw issueNotFound();
      return updated;
    }),

  comments: companyProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) =>
    listIssueComments(ctx.db, { companyId: ctx.company.id, issueId: input.id }),
  ),

  addComment: permissionProcedure("issues:comment")
    .input(z.object({ id: z.uuid(), body: userText({ max: 10_000, multiline: true }).pipe(z.string().min(1, "Write a comment first.")) }))
    .mutation(async ({ ctx, input }) => {
      const comment = await addIssueComment(ctx.db, { companyId: ctx.company.id, issueId: input.id, userId: ctx.user.id, body: input.body });
      if (!comment) throw issueNotFound();
      return comment;
    }),

  /**
   * One change over many issues: the ticked rows (`ids`) or every issue matching the list's filter. Status needs
   * the issues:change_status permission, owner issues:assign, business impact assets:edit_business_impact.
   */
  bulkUpdate: companyProcedure
    .input(
      z.object({
        selection: z.union([z.object({ ids: z.array(z.uuid()).min(1).max(500) }), z.object({ filter: issueFilterInput })]),
        change: z.discriminatedUnion("kind", [
          statusChangeFields({ kind: z.literal("status") }),
          z.object({ kind: z.literal("owner"), ownerUserId: z.string().min(1).max(100).nullable() }),
          z.object({ kind: z.literal("businessImpact"), businessImpact: z.enum(businessImpacts) }),
        ]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const needed = input.change.kind === "status" ? "issues:change_status" : input.change.kind === "owner" ? "issues:assign" : "assets:edit_business_impact";
      if (!can(ctx.member, needed)) throw new TRPCError({ code: "FORBIDDEN", message: refusalMessages[needed] });
      const selection: IssueSelection =
        "ids" in input.selection
          ? { ids: input.selection.ids }
          : { filter: resolveIssueFilter(input.selection.filter, { companyId: ctx.company.id, userId: ctx.user.id }) };
      if ("filter" in selection) {
        const count = await countMatchingIssues(ctx.db, selection.filter);
        if (count > BULK_MAX) {
          throw new TRPCError({ code: "BAD_REQUEST", message: `${count} issues match; narrow the filter to at most ${BULK_MAX} for one change.` });
        }
      }
      return applyBulkChange(ctx.db, { companyId: ctx.company.id, userId: ctx.user.id, selection, change: input.change, actor: ctx.actor }).catch(
        rethrowNotAMember,
      );
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
