"use client";
// Where the issue's Snapsec VM record is: "In Snapsec VM, assessment X since T", waiting, filtered out (why), or
// "Not in Snapsec VM: <reason>" with Retry (analysts and admins).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Time } from "@/components/ui/time";
import { OutboundStateLine } from "./outbound-state";

export function ForwardState({ issueId, canRetry }: { issueId: string; canRetry: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery({
    ...trpc.issues.forwarding.queryOptions({ id: issueId }),
    refetchInterval: (q) => (q.state.data?.waiting ? 2000 : false),
  });
  const retry = useMutation(
    trpc.issues.retryForward.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.issues.forwarding.queryKey({ id: issueId }) }),
    }),
  );
  const f = query.data;
  if (!f) return null;
  const retryProps = { onRetry: canRetry ? () => retry.mutate({ id: issueId }) : undefined, retrying: retry.isPending };

  if (f.state === "failed" && !f.waiting) {
    return (
      <OutboundStateLine tone="failed" testId="forward-state" state="failed" {...retryProps}>
        {f.since ? `Snapsec VM not updated: ${f.reason ?? "unknown error"}` : `Not in Snapsec VM: ${f.reason ?? "unknown error"}`}
      </OutboundStateLine>
    );
  }
  if (f.waiting || f.state === "pending" || f.state === null) {
    return (
      <OutboundStateLine tone={f.waiting ? "pending" : "skipped"} testId="forward-state" state="pending">
        {f.waiting
          ? f.waiting.retrying
            ? "Snapsec VM did not answer; forwarding will be tried again shortly."
            : "Forwarding to Snapsec VM…"
          : "Not forwarded to Snapsec VM yet: it was created before the integration. Use Forward existing issues in the Snapsec VM settings."}
      </OutboundStateLine>
    );
  }
  if (f.state === "filtered") {
    return (
      <OutboundStateLine tone="skipped" testId="forward-state" state="filtered">
        Not forwarded to Snapsec VM: {f.reason?.replace(/^Severity/, "severity").replace(/\.$/, "") ?? "filtered out"}.
      </OutboundStateLine>
    );
  }
  return (
    <OutboundStateLine tone="done" testId="forward-state" state="forwarded">
      In Snapsec VM, assessment “{f.assessmentName}” since <Time date={f.since} />
      {f.lastForwardedAt ? (
        <>
          {" "}
          (last updated <Time date={f.lastForwardedAt} />)
        </>
      ) : null}
      .
    </OutboundStateLine>
  );
}
