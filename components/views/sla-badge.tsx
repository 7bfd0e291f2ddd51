"use client";
// An issue's SLA state (lib/sla.ts) against the company's policy: in the Issues list's SLA column and on the issue page.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import type { IssueStatus, Severity } from "@/db/schema/vocabulary";
import { formatDateTime } from "@/lib/format";
import { slaStateOf } from "@/lib/sla";

const DAY_MS = 86_400_000;

function days(ms: number): string {
  const n = Math.max(1, Math.ceil(ms / DAY_MS));
  return `${n} day${n === 1 ? "" : "s"}`;
}

export function SlaBadge({ issue }: { issue: { severity: Severity; status: IssueStatus; detectedAt: Date | null; createdAt: Date } }) {
  const trpc = useTRPC();
  const policy = useQuery(trpc.overview.slaPolicy.queryOptions());
  if (!policy.data) return <span className="text-slate-400">…</span>;
  const now = new Date();
  const { state, dueAt } = slaStateOf(issue, policy.data, now);
  if (state === "none" || !dueAt) return <span className="text-slate-500">—</span>;
  const left = dueAt.getTime() - now.getTime();
  // The server renders with its clock and the browser hydrates with its own: the text may differ by a moment.
  return (
    <Badge
      tone={state === "breached" ? "danger" : state === "due_soon" ? "warning" : "neutral"}
      title={`SLA ${policy.data[issue.severity]} days: due ${formatDateTime(dueAt)}`}
      suppressHydrationWarning
    >
      <span suppressHydrationWarning>{state === "breached" ? `${days(-left)} over` : `due in ${days(left)}`}</span>
    </Badge>
  );
}
