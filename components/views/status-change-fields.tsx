"use client";
// The fields of a status change — the new status, a reason where the status needs one, and an end date for Risk
// Accepted — checked with the server's own schema (lib/validation/status-change.ts). Used by the issue page's
// status dialog and by bulk changes on the Issues list.
import { useId } from "react";
import { Label } from "@/components/ui/input";
import { type IssueStatus, issueStatuses, issueStatusLabels } from "@/db/schema/vocabulary";
import { MAX_ACCEPTANCE_DAYS, needsReason, REASON_MAX, type StatusChange, statusChangeFields } from "@/lib/validation/status-change";
import { firstErrors } from "@/components/ui/field";

export type StatusChangeDraft = { status: IssueStatus | null; reason: string; until: string };

const DAY = 86_400_000;
const dateInput = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

export function emptyDraft(): StatusChangeDraft {
  return { status: null, reason: "", until: dateInput(new Date(Date.now() + 30 * DAY)) };
}

/** The draft as the server's input, or the first error of each field. */
export function parseDraft(draft: StatusChangeDraft): { ok: true; value: StatusChange } | { ok: false; errors: Record<string, string> } {
  if (!draft.status) return { ok: false, errors: { status: "Choose a status." } };
  const candidate = {
    status: draft.status,
    reason: draft.reason.trim() || undefined,
    // The end of the chosen day, in the browser's time zone.
    riskAcceptedUntil: draft.status === "risk_accepted" && draft.until ? new Date(`${draft.until}T23:59:59`) : undefined,
  };
  const parsed = statusChangeFields().safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: firstErrors(parsed.error.issues) };
  return { ok: true, value: parsed.data as StatusChange };
}

export function StatusChangeFields({
  draft,
  onChange,
  errors,
  current,
}: {
  draft: StatusChangeDraft;
  onChange: (draft: StatusChangeDraft) => void;
  errors: Record<string, string>;
  /** The issue's status now (single issue), marked as current. */
  current?: IssueStatus;
}) {
  const id = useId();
  const reasonNeeded = draft.status !== null && needsReason(draft.status);
  const today = new Date();
  return (
    <div className="space-y-4">
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">New status</legend>
        <div className="grid gap-1.5 sm:grid-cols-2">
          {issueStatuses.map((s) => (
            <label
              key={s}
              className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm has-checked:border-brand-500 has-checked:bg-brand-50"
            >
              <input
                type="radio"
                name={`${id}-status`}
                value={s}
                checked={draft.status === s}
                onChange={() => onChange({ ...draft, status: s })}
                className="accent-brand-600"
              />
              {issueStatusLabels[s]}
              {current === s ? <span className="ml-auto text-xs text-slate-500">current</span> : null}
            </label>
          ))}
        </div>
        {errors.status ? <p className="mt-1 text-xs text-red-700">{errors.status}</p> : null}
      </fieldset>
      <div className="space-y-1.5">
        <Label htmlFor={`${id}-reason`}>Reason{reasonNeeded ? "" : " (optional)"}</Label>
        <textarea
          id={`${id}-reason`}
          value={draft.reason}
          onChange={(e) => onChange({ ...draft, reason: e.target.value })}
          maxLength={REASON_MAX}
          rows={3}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? `${id}-reason-error` : `${id}-reason-hint`}
          className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500/30 aria-invalid:border-red-500"
        />
        {errors.reason ? (
          <p id={`${id}-reason-error`} className="text-xs text-red-700">
            {errors.reason}
          </p>
        ) : (
          <p id={`${id}-reason-hint`} className="text-xs text-slate-500">
            Kept in the history. Fixed, Risk Accepted and False Positive need one.
          </p>
        )}
      </div>
      {draft.status === "risk_accepted" ? (
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-until`}>Accepted until</Label>
          <input
            id={`${id}-until`}
            type="date"
            value={draft.until}
            min={dateInput(new Date(today.getTime() + DAY))}
            max={dateInput(new Date(today.getTime() + MAX_ACCEPTANCE_DAYS * DAY))}
            onChange={(e) => onChange({ ...draft, until: e.target.value })}
            aria-invalid={errors.riskAcceptedUntil ? true : undefined}
            aria-describedby={`${id}-until-hint`}
            className="h-9 rounded-md border border-slate-300 px-3 text-sm shadow-sm aria-invalid:border-red-500"
          />
          <p id={`${id}-until-hint`} className={errors.riskAcceptedUntil ? "text-xs text-red-700" : "text-xs text-slate-500"}>
            {errors.riskAcceptedUntil ?? "After this day the issue returns to Identified, and Salt is told."}
          </p>
        </div>
      ) : null}
    </div>
  );
}
