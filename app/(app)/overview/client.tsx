"use client";
// The first page after sign-in: SLA breaches to act on, the weekly trend, mean time to fix, the riskiest domains
// and APIs, and each integration's health. Every count that names issues links to the Issues list showing them.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { SourceText } from "@/components/ui/source-text";
import { Time } from "@/components/ui/time";
import { MethodBadge, RiskScore, sourceLabel } from "@/components/views/badges";
import { Bar, OverviewCharts } from "@/components/views/overview-charts";
import { type Severity, severities, severityLabels } from "@/db/schema/vocabulary";
import { formatCount, formatNumber } from "@/lib/format";
import { dueSoonRule } from "@/lib/sla";

const bySeverityDesc = [...severities].reverse();
const weekLabel = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

function issuesLink(filter: Record<string, string>) {
  return `/issues?${new URLSearchParams(filter).toString()}`;
}

function CountLink({ n, href, label, tone }: { n: number; href: string; label: string; tone: "danger" | "warning" }) {
  if (n === 0) return <span className="text-slate-500 tabular-nums">0</span>;
  return (
    <Link href={href} aria-label={label} className={`font-semibold tabular-nums underline-offset-4 hover:underline ${tone === "danger" ? "text-red-700" : "text-amber-800"}`}>
      {formatNumber(n)}
    </Link>
  );
}

function SlaCard() {
  const trpc = useTRPC();
  const sla = useQuery(trpc.overview.sla.queryOptions());
  if (!sla.data) return <Skeleton className="h-72" />;
  const { policy, breached, dueSoon } = sla.data;
  const totalBreached = severities.reduce((n, s) => n + breached[s], 0);
  const totalDueSoon = severities.reduce((n, s) => n + dueSoon[s], 0);
  return (
    <Card>
      <CardHeader>
        <CardTitle>SLA</CardTitle>
        <CardDescription>
          Open issues past their deadline, counted from when the source detected them. {dueSoonRule}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="grid grid-cols-2 gap-3">
          <Link href={issuesLink({ sla: "breached" })} className="rounded-md border border-red-200 bg-red-50 px-4 py-3 hover:bg-red-100" data-testid="sla-breached-total">
            <span className="block text-2xl font-semibold text-red-800 tabular-nums">{formatNumber(totalBreached)}</span>
            <span className="text-sm text-red-800">breached</span>
          </Link>
          <Link href={issuesLink({ sla: "due_soon" })} className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 hover:bg-amber-100" data-testid="sla-due-soon-total">
            <span className="block text-2xl font-semibold text-amber-900 tabular-nums">{formatNumber(totalDueSoon)}</span>
            <span className="text-sm text-amber-900">due soon</span>
          </Link>
        </div>
        <table className="w-full text-sm">
          <caption className="sr-only">SLA per severity</caption>
          <thead>
            <tr className="text-left text-xs text-slate-500 uppercase">
              <th scope="col" className="pb-1 font-semibold">Severity</th>
              <th scope="col" className="pb-1 text-right font-semibold">SLA</th>
              <th scope="col" className="pb-1 text-right font-semibold">Breached</th>
              <th scope="col" className="pb-1 text-right font-semibold">Due soon</th>
            </tr>
          </thead>
          <tbody>
            {bySeverityDesc.map((severity: Severity) => (
              <tr key={severity} className="border-t border-slate-100">
                <th scope="row" className="py-1.5 text-left font-normal text-slate-700">{severityLabels[severity]}</th>
                <td className="py-1.5 text-right text-slate-600 tabular-nums">{policy[severity] == null ? "none" : `${policy[severity]} days`}</td>
                <td className="py-1.5 text-right">
                  <CountLink n={breached[severity]} tone="danger" href={issuesLink({ sla: "breached", severity })} label={`${breached[severity]} ${severityLabels[severity]} issues breached their SLA`} />
                </td>
                <td className="py-1.5 text-right">
                  <CountLink n={dueSoon[severity]} tone="warning" href={issuesLink({ sla: "due_soon", severity })} label={`${dueSoon[severity]} ${severityLabels[severity]} issues due soon`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="text-xs text-slate-500">
          Admins change the days in <Link href="/settings/sla" className="text-brand-700 underline underline-offset-4">Settings → SLA</Link>.
        </p>
      </CardContent>
    </Card>
  );
}

function TrendCard() {
  const trpc = useTRPC();
  const trend = useQuery(trpc.overview.trend.queryOptions());
  if (!trend.data) return <Skeleton className="h-96" />;
  const { weeks, timeToFix } = trend.data;
  const maxOpen = Math.max(1, ...weeks.map((w) => w.open));
  return (
    <Card className="lg:col-span-2">
      <CardHeader>
        <CardTitle>Last 12 weeks</CardTitle>
        <CardDescription>
          From the status history. Weeks run Monday to Sunday in UTC; the last one is this week so far. New: issues first
          recorded open. Fixed: issues moved to Fixed. Open: issues open at the week&apos;s end.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Issues per week">
          <table className="w-full text-sm">
            <caption className="sr-only">New, fixed and open issues per UTC week</caption>
            <thead>
              <tr className="text-left text-xs text-slate-500 uppercase">
                <th scope="col" className="pb-1 font-semibold">Week of</th>
                <th scope="col" className="pb-1 text-right font-semibold">New</th>
                <th scope="col" className="pb-1 text-right font-semibold">Fixed</th>
                <th scope="col" className="pb-1 pl-4 font-semibold">Open</th>
              </tr>
            </thead>
            <tbody data-testid="trend-weeks">
              {weeks.map((week) => (
                <tr key={week.weekStart.toISOString()} className="border-t border-slate-100">
                  <th scope="row" className="py-1 text-left font-normal whitespace-nowrap text-slate-700">
                    {weekLabel.format(week.weekStart)}
                  </th>
                  <td className="py-1 text-right tabular-nums">{formatNumber(week.new)}</td>
                  <td className="py-1 text-right tabular-nums">{formatNumber(week.fixed)}</td>
                  <td className="py-1 pl-4">
                    <span className="flex items-center gap-2">
                      <span className="w-full min-w-12">
                        <Bar fraction={week.open / maxOpen} className="bg-brand-500" />
                      </span>
                      <span className="w-14 text-right font-medium tabular-nums">{formatNumber(week.open)}</span>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3 className="mb-1 text-sm font-semibold text-slate-900">Mean time to fix</h3>
          <p className="mb-2 text-xs text-slate-500">Fixes in these 12 weeks, from when the issue was found (or reopened) to its fix.</p>
          <table className="w-full text-sm">
            <caption className="sr-only">Mean time to fix per severity</caption>
            <thead>
              <tr className="text-left text-xs text-slate-500 uppercase">
                <th scope="col" className="pb-1 font-semibold">Severity</th>
                <th scope="col" className="pb-1 text-right font-semibold">Mean</th>
                <th scope="col" className="pb-1 text-right font-semibold">Fixes</th>
              </tr>
            </thead>
            <tbody>
              {bySeverityDesc.map((severity) => (
                <tr key={severity} className="border-t border-slate-100">
                  <th scope="row" className="py-1 text-left font-normal text-slate-700">{severityLabels[severity]}</th>
                  <td className="py-1 text-right tabular-nums">{formatDays(timeToFix[severity].meanDays)}</td>
                  <td className="py-1 text-right text-slate-600 tabular-nums">{formatNumber(timeToFix[severity].fixes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </CardContent>
    </Card>
  );
}

function formatDays(days: number | null): string {
  if (days == null) return "—";
  if (days < 1) return `${Math.max(1, Math.round(days * 24))} h`;
  return `${days < 10 ? days.toFixed(1) : Math.round(days)} days`;
}

function RiskiestApisCard() {
  const trpc = useTRPC();
  const apis = useQuery(trpc.overview.riskiestApis.queryOptions());
  return (
    <Card>
      <CardHeader>
        <CardTitle>Riskiest APIs</CardTitle>
      </CardHeader>
      <CardContent>
        {!apis.data ? (
          <Skeleton className="h-40" />
        ) : apis.data.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">No open issues on any API.</p>
        ) : (
          <ol className="space-y-1">
            {apis.data.map((api) => (
              <li key={api.id}>
                <Link href={`/assets/apis/${api.id}`} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-3 rounded px-1 py-1 text-sm hover:bg-slate-50">
                  <span className="min-w-0">
                    <span className="flex min-w-0 items-center gap-2">
                      <MethodBadge method={api.method} />
                      <span className="truncate font-mono text-slate-800" title={api.path ?? api.name}>
                        <SourceText>{api.path ?? api.name}</SourceText>
                      </span>
                    </span>
                    <span className="block truncate text-xs text-slate-600">
                      <SourceText>{api.fqdn?.name ?? ""}</SourceText> · {formatCount(api.openIssueCount, "open issue")}
                    </span>
                  </span>
                  <RiskScore score={api.riskScore} worst={api.worstOpenSeverity} />
                </Link>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}

function IntegrationHealthCard() {
  const trpc = useTRPC();
  const health = useQuery(trpc.overview.integrationHealth.queryOptions());
  return (
    <Card>
      <CardHeader>
        <CardTitle>Integrations</CardTitle>
        <CardDescription>Last sync, failed runs in the last 7 days, and whether Salt&apos;s webhooks arrive.</CardDescription>
      </CardHeader>
      <CardContent>
        {!health.data ? (
          <Skeleton className="h-32" />
        ) : health.data.length === 0 ? (
          <p className="py-4 text-center text-sm text-slate-600">
            No integration connected. <Link href="/integrations" className="text-brand-700 underline underline-offset-4">Connect one</Link>.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="integration-health">
            {health.data.map((integration) => {
              const settingsHref =
                integration.kind === "salt_security" ? "/integrations/salt-security/settings" : integration.kind === "snapsec_vm" ? "/integrations/snapsec-vm/settings" : "/settings/connectors";
              const healthy = !integration.webhookWarning && integration.failedRuns === 0 && !integration.lastCheckError;
              return (
                <li key={integration.id} className="space-y-1 py-2.5 text-sm">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <Link href={settingsHref} className="font-medium text-slate-900 underline-offset-4 hover:underline">
                      {integration.kind === "snapsec_vm" ? "Snapsec VM" : sourceLabel(integration.kind)}
                    </Link>
                    <Badge tone={healthy ? "success" : "warning"}>{healthy ? "Healthy" : "Needs attention"}</Badge>
                  </div>
                  <p className="text-slate-600">
                    Last sync <Time date={integration.lastSyncAt} className="font-medium text-slate-900" /> ·{" "}
                    <span className={integration.failedRuns ? "font-medium text-red-700" : undefined}>{formatCount(integration.failedRuns, "failed run")}</span>
                  </p>
                  {integration.lastCheckError ? <p className="text-red-700">Connection check: {integration.lastCheckError}</p> : null}
                  {integration.webhookWarning ? (
                    <p className="text-amber-800" data-testid="webhook-warning">
                      {integration.webhookWarning.message} ({formatCount(integration.webhookWarning.domains.length, "domain")})
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

export function OverviewClient() {
  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <SlaCard />
        <TrendCard />
      </div>
      <OverviewCharts />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <RiskiestApisCard />
        <IntegrationHealthCard />
      </div>
    </div>
  );
}
