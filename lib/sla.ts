// Service-level agreements per severity: how many days an open issue may stay open, and the state each open issue
// is in. Shared by the server (counts, the Issues list's `sla` filter) and the pages (the SLA column and badge).
import { z } from "zod";
import { isOpenStatus, type IssueStatus, type Severity, severities } from "@/db/schema/vocabulary";

/** Days per severity; null: no SLA for that severity. */
export type SlaPolicy = Record<Severity, number | null>;

export const defaultSlaPolicy: SlaPolicy = { critical: 7, high: 30, medium: 90, low: 180, notification: null };

export const SLA_MAX_DAYS = 3650;

export const slaPolicySchema = z.object(
  Object.fromEntries(
    severities.map((s) => [
      s,
      z
        .number({ error: "Enter a whole number of days, or leave it empty for no SLA." })
        .int("Enter a whole number of days.")
        .min(1, "An SLA is at least 1 day.")
        .max(SLA_MAX_DAYS, `An SLA is at most ${SLA_MAX_DAYS} days.`)
        .nullable(),
    ]),
  ) as Record<Severity, z.ZodNullable<z.ZodNumber>>,
);

/** A stored policy over the defaults (a company that never saved one, or a severity it never set, gets the default). */
export function resolveSlaPolicy(stored: Partial<SlaPolicy> | null | undefined): SlaPolicy {
  return { ...defaultSlaPolicy, ...stored };
}

export const slaStates = ["breached", "due_soon"] as const;
export type SlaFilter = (typeof slaStates)[number];
export type SlaState = SlaFilter | "within" | "none";
export const slaStateLabels: Record<SlaState, string> = { breached: "SLA breached", due_soon: "SLA due soon", within: "Within SLA", none: "No SLA" };

const DAY_MS = 86_400_000;
/** Due soon: the time left is at most 20 % of the SLA, and never more than 7 days ahead. */
export const DUE_SOON_FRACTION = 0.2;
export const DUE_SOON_MAX_DAYS = 7;
export const dueSoonRule = "Due soon: within 20 % of the SLA's days of its deadline, at most 7 days before it.";

/** How long before the deadline an issue counts as due soon, in days. */
export function dueSoonDays(slaDays: number): number {
  return Math.min(slaDays * DUE_SOON_FRACTION, DUE_SOON_MAX_DAYS);
}

/** When an open issue's SLA clock started: when its source detected it, or when Postura first saw it. */
export function slaClockStart(issue: { detectedAt: Date | null; createdAt: Date }): Date {
  return issue.detectedAt ?? issue.createdAt;
}

/** An issue's SLA state at `now`, with its deadline. Closed issues and severities without an SLA have none. */
export function slaStateOf(
  issue: { severity: Severity; status: IssueStatus; detectedAt: Date | null; createdAt: Date },
  policy: SlaPolicy,
  now: Date,
): { state: SlaState; dueAt: Date | null } {
  const days = policy[issue.severity];
  if (days == null || !isOpenStatus(issue.status)) return { state: "none", dueAt: null };
  const dueAt = new Date(slaClockStart(issue).getTime() + days * DAY_MS);
  const left = dueAt.getTime() - now.getTime();
  if (left < 0) return { state: "breached", dueAt };
  if (left <= dueSoonDays(days) * DAY_MS) return { state: "due_soon", dueAt };
  return { state: "within", dueAt };
}
