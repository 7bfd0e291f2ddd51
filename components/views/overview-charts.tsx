"use client";
// Overview: open issues by severity and the riskiest FQDNs, as bars a person takes in at a glance. Each bar is a
// link with its number in text, so the chart reads the same to a screen reader.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { severities, severityLabels } from "@/db/schema/vocabulary";
import { formatNumber } from "@/lib/format";

const severityBar: Record<string, string> = {
  critical: "bg-sev-critical",
  high: "bg-sev-high",
  medium: "bg-sev-medium",
  low: "bg-sev-low",
  notification: "bg-sev-notification",
};

/** A horizontal bar for a share of the largest value; hidden from screen readers, which read the number beside it. */
export function Bar({ fraction, className }: { fraction: number; className: string }) {
  return (
    <span className="block h-2.5 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden>
      <span className={`block h-full rounded-full ${className}`} style={{ width: `${Math.max(fraction > 0 ? 2 : 0, fraction * 100)}%` }} />
    </span>
  );
}

export function OverviewCharts() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.assets.overview.queryOptions());
  if (!overview.data) {
    return (
      <div className="mb-6 grid grid-cols-1 gap-4 md:grid-cols-2">
        <Skeleton className="h-56" />
        <Skeleton className="h-56" />
      </div>
    );
  }
  const { openBySeverity, riskiest } = overview.data;
  const ordered = [...severities].reverse();
  const totalOpen = ordered.reduce((sum, s) => sum + openBySeverity[s], 0);
  const maxSeverity = Math.max(1, ...ordered.map((s) => openBySeverity[s]));
  const maxRisk = Math.max(1, ...riskiest.map((d) => d.riskScore));
  return (
    <div className="mb-6 grid grid-cols-1 gap-4 md:grid-cols-2">
      <Card>
        <CardHeader className="flex-row items-baseline justify-between">
          <CardTitle>Open issues by severity</CardTitle>
          <span className="text-sm text-slate-600">
            <span className="font-semibold text-slate-900 tabular-nums">{formatNumber(totalOpen)}</span> open
          </span>
        </CardHeader>
        <CardContent>
          <ul className="space-y-2">
            {ordered.map((severity) => (
              <li key={severity}>
                <Link
                  href={`/issues?severity=${severity}&status=identified,in_progress`}
                  className="grid grid-cols-[7rem_1fr_4rem] items-center gap-3 rounded px-1 py-0.5 text-sm hover:bg-slate-50"
                >
                  <span className="text-slate-700">{severityLabels[severity]}</span>
                  <Bar fraction={openBySeverity[severity] / maxSeverity} className={severityBar[severity]!} />
                  <span className="text-right font-medium tabular-nums">{formatNumber(openBySeverity[severity])}</span>
                </Link>
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Riskiest FQDNs</CardTitle>
        </CardHeader>
        <CardContent>
          {riskiest.length === 0 ? (
            <p className="py-6 text-center text-sm text-slate-600">No open issues on any domain.</p>
          ) : (
            <ol className="space-y-2">
              {riskiest.map((domain) => (
                <li key={domain.id}>
                  <Link
                    href={`/assets/fqdns/${domain.id}`}
                    className="grid grid-cols-[minmax(0,1fr)_minmax(4rem,1fr)_3rem] items-center gap-3 sm:grid-cols-[minmax(0,13rem)_1fr_4rem] rounded px-1 py-0.5 text-sm hover:bg-slate-50"
                  >
                    <span className="truncate text-slate-800" title={domain.name}>
                      {domain.name}
                    </span>
                    <Bar fraction={domain.riskScore / maxRisk} className="bg-brand-500" />
                    <span className="text-right font-medium tabular-nums">{formatNumber(domain.riskScore)}</span>
                  </Link>
                </li>
              ))}
            </ol>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
