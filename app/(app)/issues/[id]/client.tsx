"use client";
import { useQuery } from "@tanstack/react-query";
import { ExternalLink } from "lucide-react";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { SourceText } from "@/components/ui/source-text";
import { Time } from "@/components/ui/time";
import { Breadcrumb, Detail } from "@/components/views/asset-header";
import { originLabel, SeverityBadge, sourceLabel, StatusBadge } from "@/components/views/badges";
import { IssueComments } from "@/components/views/issue-comments";
import { IssueOwner } from "@/components/views/issue-owner";
import { IssueStatusAction } from "@/components/views/issue-status-action";
import { MissingState } from "@/components/views/missing-state";
import { StatusChanges } from "@/components/views/status-changes";
import { ForwardState } from "@/components/views/forward-state";
import { ThreatModel } from "@/components/views/threat-model";
import { WriteBackState } from "@/components/views/write-back-state";
import { Notice } from "@/components/integrations/notice";
import { IssueRisk } from "@/components/views/issue-risk";
import { SlaBadge } from "@/components/views/sla-badge";
import { cweName, cweUrl } from "@/lib/cwe";
import type { RouterOutputs } from "@/lib/trpc-types";

export function IssueClient({
  id,
  canChangeStatus,
  canAssign = false,
  canComment = false,
  canEditThreatModel = false,
}: {
  id: string;
  canChangeStatus: boolean;
  canAssign?: boolean;
  canComment?: boolean;
  canEditThreatModel?: boolean;
}) {
  const trpc = useTRPC();
  const issueQuery = useQuery(trpc.issues.byId.queryOptions({ id }));
  const history = useQuery(trpc.issues.history.queryOptions({ id }));
  const issue = issueQuery.data;
  if (!issue) {
    if (issueQuery.isError) {
      return <MissingState error={issueQuery.error} noun="issue" back={{ href: "/issues", label: "Back to Issues" }} onRetry={() => void issueQuery.refetch()} />;
    }
    return <Skeleton className="h-96" />;
  }
  const cweLink = cweUrl(issue.cwe);

  return (
    <>
      <Breadcrumb items={[{ href: "/issues", label: "Issues" }, { label: issue.title }]} />
      <div className="mb-6">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
          <SourceText>{issue.title}</SourceText>
        </h1>
        <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <SeverityBadge severity={issue.severity} />
          <StatusBadge status={issue.status} />
          <span className="inline-flex items-center gap-1.5" data-testid="issue-sla">
            <span className="text-slate-500">Age</span>
            <Time date={issue.detectedAt ?? issue.createdAt} format="age" className="font-medium text-slate-900" />
            <span className="text-slate-500">· SLA</span>
            <SlaBadge issue={issue} />
          </span>
          <span className="min-w-0">
            on{" "}
            <Link
              href={
                issue.asset.assetType === "api"
                  ? `/assets/apis/${issue.asset.id}`
                  : issue.asset.assetType === "host"
                    ? `/issues?fqdn=${issue.asset.id}`
                    : `/assets/fqdns/${issue.asset.id}`
              }
              className="font-mono text-slate-900 hover:underline"
            >
              <SourceText>{issue.asset.name}</SourceText>
            </Link>
            {issue.domain && issue.asset.assetType === "api" ? (
              <>
                {" "}
                at{" "}
                <Link href={`/assets/fqdns/${issue.domain.id}`} className="text-slate-900 hover:underline">
                  <SourceText>{issue.domain.name}</SourceText>
                </Link>
              </>
            ) : null}
          </span>
        </p>
      </div>
      {issue.sourceRemoved ? (
        <Notice tone="info" title={`Not syncing — the ${sourceLabel(issue.source)} integration was removed`} className="mb-4">
          What is shown is what {sourceLabel(issue.source)} last reported. Status changes stay in Postura and are not written back;
          connect {sourceLabel(issue.source)} again to resume.
        </Notice>
      ) : null}
      <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-[minmax(0,1.3fr)_minmax(0,1fr)]">
        <Card>
          <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
            <CardTitle>{sourceLabel(issue.source)} details</CardTitle>
            {issue.consoleLinks.length ? (
              <span className="flex flex-wrap gap-3 text-sm">
                {issue.consoleLinks.map((link) => (
                  <a key={link.url} href={link.url} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 text-brand-700 hover:underline">
                    {link.label}
                    <ExternalLink className="size-3.5" aria-label="(opens in a new tab)" />
                  </a>
                ))}
              </span>
            ) : null}
          </CardHeader>
          <CardContent className="py-2">
            {issue.source === "tenable_io" ? (
              <VulnerabilityDetails issue={issue} />
            ) : (
              <dl className="divide-y divide-slate-100">
                <Detail term="Posture gap">
                  <SourceText>{issue.title}</SourceText>
                </Detail>
                <Detail term="Categories">
                  {issue.categories.length ? (
                    <span className="flex flex-wrap gap-1">
                      {issue.categories.map((c) => (
                        <Badge key={c} className="block truncate" title={c}>
                          <SourceText>{c}</SourceText>
                        </Badge>
                      ))}
                    </span>
                  ) : (
                    "—"
                  )}
                </Detail>
                <Detail term="CWE">
                  {issue.cwe && cweLink ? (
                    <span className="block">
                      <a
                        href={cweLink}
                        target="_blank"
                        rel="noreferrer"
                        className="inline-flex items-center gap-1 text-brand-700 hover:underline"
                      >
                        {issue.cwe}
                        <ExternalLink className="size-3.5" aria-label="(opens in a new tab)" />
                      </a>
                      {cweName(issue.cwe) ? (
                        <span className="block text-slate-700" data-testid="cwe-name">
                          {cweName(issue.cwe)}
                        </span>
                      ) : null}
                    </span>
                  ) : (
                    <SourceText>{issue.cwe ?? "—"}</SourceText>
                  )}
                </Detail>
                <Detail term="Detected">
                  <Time date={issue.detectedAt} format="dateTime" />
                </Detail>
                <Detail term="Last activity">
                  <Time date={issue.lastActivityAt} format="dateTime" />
                </Detail>
                <Detail term={`${sourceLabel(issue.source)} id`}>
                  <SourceText className="font-mono text-[13px]">{issue.externalId ?? "—"}</SourceText>
                </Detail>
                <Detail term={`${sourceLabel(issue.source)} status`}>{issue.externalStatus ?? "—"}</Detail>
              </dl>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Status</CardTitle>
            <CardDescription>
              Last changed <Time date={issue.statusChangedAt} /> by {originLabel(issue.statusOrigin, issue.statusChangedByName)}.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {canChangeStatus ? (
              <IssueStatusAction issueId={issue.id} status={issue.status} />
            ) : (
              <p className="text-sm text-slate-600">
                <StatusBadge status={issue.status} /> <span className="ml-1">Only analysts and admins can change the status.</span>
              </p>
            )}
            {issue.status === "risk_accepted" && issue.riskAcceptedUntil ? (
              <p className="mt-2 text-sm text-slate-700">
                Accepted until <Time date={issue.riskAcceptedUntil} format="date" />; then it returns to Identified.
              </p>
            ) : null}
            <div className="mt-4">
              <IssueOwner issueId={issue.id} owner={issue.owner} canAssign={canAssign} />
            </div>
            {issue.source ? <WriteBackState issueId={issue.id} sourceName={sourceLabel(issue.source)} canRetry={canChangeStatus} /> : null}
            <ForwardState issueId={issue.id} canRetry={canChangeStatus} />
            <h3 className="mt-5 mb-1 text-sm font-semibold text-slate-900">Risk</h3>
            <IssueRisk severity={issue.severity} status={issue.status} domain={issue.domain} />
            <h3 className="mt-5 mb-1 text-sm font-semibold text-slate-900">History</h3>
            {history.data ? <StatusChanges changes={history.data} empty="No status changes yet." /> : <Skeleton className="h-24" />}
          </CardContent>
        </Card>
      </div>
      <ThreatModel
        key={`${issue.id}:${issue.updatedAt.toString()}`}
        issueId={issue.id}
        model={{ confidence: issue.confidence, mitigationNotes: issue.mitigationNotes, attackVectors: issue.attackVectors }}
        canEdit={canEditThreatModel}
      />
      <IssueComments issueId={issue.id} canComment={canComment} />
    </>
  );
}

type IssueDetail = NonNullable<RouterOutputs["issues"]["byId"]>;

function detailText(details: IssueDetail["details"], key: string): string | null {
  const value = details?.[key];
  return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : null;
}

function detailDate(details: IssueDetail["details"], key: string): Date | null {
  const value = detailText(details, key);
  const date = value === null ? null : new Date(value);
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** What a vulnerability scanner (Tenable.io) says about a finding. */
function VulnerabilityDetails({ issue }: { issue: IssueDetail }) {
  const { details } = issue;
  const where = issue.port === null ? null : issue.port === 0 ? "Host-level (port 0)" : `${issue.port}/${issue.protocol ?? "tcp"}`;
  const texts = [
    ["Synopsis", detailText(details, "synopsis")],
    ["Description", detailText(details, "description")],
    ["Solution", detailText(details, "solution")],
  ] as const;
  const output = detailText(details, "output");
  return (
    <dl className="divide-y divide-slate-100">
      <Detail term="Plugin">
        <SourceText>{issue.title}</SourceText>
        {detailText(details, "pluginId") ? <span className="ml-1 text-slate-500">(#{detailText(details, "pluginId")})</span> : null}
      </Detail>
      <Detail term="Family">
        <SourceText>{detailText(details, "pluginFamily") ?? "—"}</SourceText>
      </Detail>
      <Detail term="CVEs">
        {issue.cves.length ? (
          <span className="flex flex-wrap gap-1">
            {issue.cves.map((cve) => (
              <Badge key={cve}>
                <SourceText>{cve}</SourceText>
              </Badge>
            ))}
          </span>
        ) : (
          "—"
        )}
      </Detail>
      <Detail term="CVSS 3">{issue.cvssScore === null ? "—" : issue.cvssScore.toFixed(1)}</Detail>
      <Detail term="VPR">{issue.vprScore === null ? "—" : issue.vprScore.toFixed(1)}</Detail>
      <Detail term="Port">
        {where ?? "—"}
        {issue.service ? (
          <span className="ml-1 text-slate-500">
            (<SourceText>{issue.service}</SourceText>)
          </span>
        ) : null}
      </Detail>
      <Detail term="First found">
        <Time date={detailDate(details, "firstFound") ?? issue.detectedAt} format="dateTime" />
      </Detail>
      <Detail term="Last found">
        <Time date={detailDate(details, "lastFound")} format="dateTime" />
      </Detail>
      {detailDate(details, "lastFixed") ? (
        <Detail term="Last fixed">
          <Time date={detailDate(details, "lastFixed")} format="dateTime" />
        </Detail>
      ) : null}
      <Detail term="Tenable.io state">{issue.externalStatus ?? "—"}</Detail>
      {texts.map(([term, text]) =>
        text ? (
          <Detail key={term} term={term}>
            <SourceText className="whitespace-pre-line">{text}</SourceText>
          </Detail>
        ) : null,
      )}
      {output ? (
        <Detail term="Plugin output">
          <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap text-slate-800">
            <SourceText>{output}</SourceText>
          </pre>
        </Detail>
      ) : null}
    </dl>
  );
}
