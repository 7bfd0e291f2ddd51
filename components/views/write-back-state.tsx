"use client";
// Where telling the source about the latest status change stands, with Retry after a failure.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, CheckCircle2, CircleSlash, Loader2, RotateCw } from "lucide-react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";

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

  let icon: React.ReactNode;
  let text: React.ReactNode;
  let tone: string;
  switch (wb.state) {
    case "pending":
      icon = <Loader2 className="size-4 animate-spin" aria-hidden />;
      text = `Updating ${sourceName} to “${wb.externalStatus}”…${wb.attempts > 0 ? ` (attempt ${wb.attempts + 1}: ${wb.reason ?? "retrying"})` : ""}`;
      tone = "border-slate-200 bg-slate-50 text-slate-700";
      break;
    case "done":
      icon = <CheckCircle2 className="size-4" aria-hidden />;
      text = (
        <>
          {`${sourceName} updated to “${wb.externalStatus}” `}
          <Time date={wb.updatedAt} />.
        </>
      );
      tone = "border-emerald-200 bg-emerald-50 text-emerald-800";
      break;
    case "skipped":
      icon = <CircleSlash className="size-4" aria-hidden />;
      text = wb.reason ?? `${sourceName} was not updated.`;
      tone = "border-amber-200 bg-amber-50 text-amber-900";
      break;
    case "failed":
      icon = <AlertTriangle className="size-4" aria-hidden />;
      text = `${sourceName} not updated: ${wb.reason ?? "unknown error"}`;
      tone = "border-red-200 bg-red-50 text-red-800";
      break;
  }

  return (
    <div role="status" data-testid="write-back-state" data-state={wb.state} className={`mt-3 flex items-start gap-2 rounded-md border px-3 py-2 text-sm ${tone}`}>
      <span className="mt-0.5 shrink-0">{icon}</span>
      <span className="min-w-0 flex-1">{text}</span>
      {wb.state === "failed" && canRetry ? (
        <Button size="sm" variant="secondary" onClick={() => retry.mutate({ id: issueId })} disabled={retry.isPending}>
          <RotateCw aria-hidden />
          Retry
        </Button>
      ) : null}
    </div>
  );
}
