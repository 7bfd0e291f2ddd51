// Small labelled values shared by the asset and issue views: severity, status, business impact, risk, method.
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { type BusinessImpact, type IssueStatus, issueStatusLabels, type Severity, severityLabels } from "@/db/schema/vocabulary";
import { formatNumber } from "@/lib/format";

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={severity}>{severityLabels[severity]}</Badge>;
}

const statusTones: Record<IssueStatus, "danger" | "warning" | "success" | "neutral" | "brand"> = {
  identified: "danger",
  in_progress: "warning",
  fixed: "success",
  risk_accepted: "brand",
  false_positive: "neutral",
};
export function StatusBadge({ status }: { status: IssueStatus }) {
  return (
    <Badge tone={statusTones[status]} className="whitespace-nowrap">
      {issueStatusLabels[status]}
    </Badge>
  );
}

export const businessImpactLabels: Record<BusinessImpact, string> = { low: "Low", medium: "Medium", high: "High" };
export function ImpactBadge({ impact }: { impact: BusinessImpact }) {
  return <Badge tone={impact === "high" ? "high" : impact === "medium" ? "medium" : "low"}>{businessImpactLabels[impact]}</Badge>;
}

/**
 * A risk score's colour is the highest severity among the asset's open issues — the same meaning on a domain and
 * an API, whatever the size of the number (an API with one open Critical scores 10 and is red). The number is
 * what the user reads; the colour repeats the worst severity, so it is named for screen readers too.
 */
const riskClasses: Record<Severity | "none", string> = {
  none: "bg-slate-100 text-slate-600",
  notification: "bg-slate-100 text-slate-700",
  low: "bg-blue-50 text-blue-800",
  medium: "bg-yellow-50 text-yellow-900",
  high: "bg-orange-50 text-orange-900",
  critical: "bg-red-100 text-red-900",
};
export function RiskScore({ score, worst, className }: { score: number; worst: Severity | null; className?: string }) {
  return (
    <span
      className={cn("inline-flex min-w-10 justify-center rounded-md px-2 py-0.5 text-sm font-semibold tabular-nums", riskClasses[worst ?? "none"], className)}
      title={worst ? `Highest open severity: ${severityLabels[worst]}` : "No open issues"}
      data-worst-severity={worst ?? "none"}
    >
      {formatNumber(score)}
      {worst ? <span className="sr-only"> (highest open severity {severityLabels[worst]})</span> : null}
    </span>
  );
}

const methodClasses: Record<string, string> = {
  GET: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  POST: "bg-blue-50 text-blue-800 ring-blue-200",
  PUT: "bg-amber-50 text-amber-900 ring-amber-200",
  PATCH: "bg-violet-50 text-violet-800 ring-violet-200",
  DELETE: "bg-red-50 text-red-800 ring-red-200",
};
export function MethodBadge({ method }: { method: string | null }) {
  if (!method) return null;
  return (
    <span className={cn("inline-flex w-16 shrink-0 justify-center rounded px-1.5 py-0.5 font-mono text-xs font-semibold ring-1 ring-inset", methodClasses[method] ?? "bg-slate-100 text-slate-700 ring-slate-200")}>
      {method}
    </span>
  );
}

export const sourceLabels: Record<string, string> = { salt_security: "Salt Security", tenable_io: "Tenable.io" };
export const sourceLabel = (source: string | null) => (source ? (sourceLabels[source] ?? source) : "Added by hand");

const originLabels = { user: "User", sync: "Sync", webhook: "Webhook", reconciliation: "Reconciliation", system: "System" } as const;
/** Who changed a status, in words: the person for a user change, else the mechanism. */
export function originLabel(origin: keyof typeof originLabels, userName: string | null) {
  return origin === "user" ? (userName ?? "A former member") : originLabels[origin];
}
