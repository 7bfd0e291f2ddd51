// What a person must give to change an issue's status: a reason for the decisions that close an issue, and an
// end date for a risk acceptance. Shared by the server (tRPC input) and the status dialog (the same messages).
import { z } from "zod";
import { type IssueStatus, issueStatuses } from "@/db/schema/vocabulary";
import { userText } from "./text";

/** Statuses that close an issue by a person's judgement: they need a reason on record. */
export const statusesNeedingReason = ["fixed", "risk_accepted", "false_positive"] as const satisfies readonly IssueStatus[];
export const MAX_ACCEPTANCE_DAYS = 365;
export const REASON_MAX = 1000;

export function needsReason(status: IssueStatus): boolean {
  return (statusesNeedingReason as readonly IssueStatus[]).includes(status);
}

/** The status change fields, without the issue(s) they apply to; `now` is the server's clock. */
export const statusChangeShape = {
  status: z.enum(issueStatuses),
  reason: userText({ max: REASON_MAX, multiline: true }).optional(),
  riskAcceptedUntil: z.date().optional(),
};

/** The status change fields as one object; `extra` adds fields (the issue id, a bulk change's kind). */
export function statusChangeFields<Extra extends z.ZodRawShape = Record<never, never>>(extra?: Extra, now: () => Date = () => new Date()) {
  return z
    .object({ ...statusChangeShape, ...(extra as Extra) })
    .superRefine((value, ctx) => checkStatusChange(value as StatusChange, ctx, now));
}

function checkStatusChange(value: StatusChange, ctx: z.RefinementCtx, now: () => Date) {
  if (needsReason(value.status) && !value.reason) {
    ctx.addIssue({ code: "custom", path: ["reason"], message: "Give a reason: it is kept in the issue's history." });
  }
  if (value.status === "risk_accepted") {
    if (!value.riskAcceptedUntil) {
      ctx.addIssue({ code: "custom", path: ["riskAcceptedUntil"], message: "Choose until when the risk is accepted." });
    } else {
      const days = (value.riskAcceptedUntil.getTime() - now().getTime()) / 86_400_000;
      if (days <= 0) ctx.addIssue({ code: "custom", path: ["riskAcceptedUntil"], message: "Choose an end date in the future." });
      else if (days > MAX_ACCEPTANCE_DAYS) {
        ctx.addIssue({ code: "custom", path: ["riskAcceptedUntil"], message: `Accept a risk for at most ${MAX_ACCEPTANCE_DAYS} days, then review it again.` });
      }
    }
  } else if (value.riskAcceptedUntil) {
    ctx.addIssue({ code: "custom", path: ["riskAcceptedUntil"], message: "An end date applies only to Risk Accepted." });
  }
}
export type StatusChange = { status: IssueStatus; reason?: string; riskAcceptedUntil?: Date };
