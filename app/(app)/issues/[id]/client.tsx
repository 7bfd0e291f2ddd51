"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ExternalLink } from "lucide-react";
import Link from "next/link";
import { useId } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { SourceText } from "@/components/ui/source-text";
import { Time } from "@/components/ui/time";
import { Breadcrumb, Detail } from "@/components/views/asset-header";
import { originLabel, SeverityBadge, sourceLabel, StatusBadge } from "@/components/views/badges";
import { MissingState } from "@/components/views/missing-state";
import { StatusChanges } from "@/components/views/status-changes";
import { WriteBackState } from "@/components/views/write-back-state";
import { type IssueStatus, issueStatuses, issueStatusLabels } from "@/db/schema/vocabulary";
import { cweUrl } from "@/lib/cwe";

function StatusControl({ issueId, status }: { issueId: string; status: IssueStatus }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const selectId = useId();
  const mutation = useMutation(
    trpc.issues.setStatus.mutationOptions({
      // The status, the history, and (open ↔ closed) the asset figures and lists all moved.
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.issues.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.assets.pathKey() }),
        ]),
    }),
  );
  return (
    <div>
      <label htmlFor={selectId} className="mb-1 block text-sm font-medium text-slate-800">
        Status
      </label>
      <div className="flex items-center gap-3">
        <Select
          id={selectId}
          className="w-48"
          value={mutation.isPending ? mutation.variables.status : status}
          disabled={mutation.isPending}
          onChange={(e) => mutation.mutate({ id: issueId, status: e.target.value as IssueStatus })}
        >
          {issueStatuses.map((s) => (
            <option key={s} value={s}>
              {issueStatusLabels[s]}
            </option>
          ))}
        </Select>
        <span role="status" className="text-sm text-slate-600">
          {mutation.isPending ? "Saving…" : mutation.isError ? <span className="text-red-700">{mutation.error.message}</span> : mutation.isSuccess ? "Saved" : null}
        </span>
      </div>
    </div>
  );
}

export function IssueClient({ id, canChangeStatus }: { id: string; canChangeStatus: boolean }) {
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
          <span className="min-w-0">
            on{" "}
            <Link href={issue.asset.assetType === "api" ? `/assets/apis/${issue.asset.id}` : `/assets/fqdns/${issue.asset.id}`} className="font-mono text-slate-900 hover:underline">
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
      <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-[minmax(0,1.3fr)_minmax(0,1fr)]">
        <Card>
          <CardHeader>
            <CardTitle>{sourceLabel(issue.source)} details</CardTitle>
          </CardHeader>
          <CardContent className="py-2">
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
                  <a
                    href={cweLink}
                    target="_blank"
                    rel="noreferrer"
                    className="inline-flex items-center gap-1 text-brand-700 hover:underline"
                  >
                    {issue.cwe}
                    <ExternalLink className="size-3.5" aria-label="(opens in a new tab)" />
                  </a>
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
              <StatusControl issueId={issue.id} status={issue.status} />
            ) : (
              <p className="text-sm text-slate-600">
                <StatusBadge status={issue.status} /> <span className="ml-1">Only analysts and admins can change the status.</span>
              </p>
            )}
            {issue.source ? <WriteBackState issueId={issue.id} sourceName={sourceLabel(issue.source)} canRetry={canChangeStatus} /> : null}
            <h3 className="mt-5 mb-1 text-sm font-semibold text-slate-900">History</h3>
            {history.data ? <StatusChanges changes={history.data} empty="No status changes yet." /> : <Skeleton className="h-24" />}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
