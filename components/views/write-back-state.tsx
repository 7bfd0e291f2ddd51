"use client";
// Where telling the source about the latest status change stands, with Retry after a failure.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Time } from "@/components/ui/time";
import { OutboundStateLine } from "./outbound-state";

export function WriteBackState({ issueId, sourceName, canRetry }: { issueId: string; sourceName: string; canRetry: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery({
    ...trpc.issues.writeBack.queryOptions({ id: issueId }),
    // While the job runs, look again every couple of seconds.
    refetchInterval: (q) => (q.state.data?.state === "pending" ? 2000 : false),
  });
  const retry = useMutation(
    trpc.issues.retryWriteBack.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.issues.writeBack.queryKey({ id: issueId }) }),
    }),
  );
  const wb = query.data;
  if (!wb) return null;

  let text: React.ReactNode;
  switch (wb.state) {
    case "pending":
      text = `Updating ${sourceName} to “${wb.externalStatus}”…${wb.attempts > 0 ? ` (attempt ${wb.attempts + 1}: ${wb.reason ?? "retrying"})` : ""}`;
      break;
    case "done":
      text = (
        <>
          {`${sourceName} updated to “${wb.externalStatus}” `}
          <Time date={wb.updatedAt} />.
        </>
      );
      break;
    case "skipped":
      text = wb.reason ?? `${sourceName} was not updated.`;
      break;
    case "failed":
      text = `${sourceName} not updated: ${wb.reason ?? "unknown error"}`;
      break;
  }

  return (
    <OutboundStateLine
      tone={wb.state}
      testId="write-back-state"
      state={wb.state}
      onRetry={canRetry ? () => retry.mutate({ id: issueId }) : undefined}
      retrying={retry.isPending}
    >
      {text}
    </OutboundStateLine>
  );
}
