// A domain's last sync as the lists and the domain page show it: when it last completed, and — when the newest
// finished run failed or skipped records — that run's state and reason, so a failing domain never just reads "never".
import { Badge } from "@/components/ui/badge";
import type { SyncRunState } from "@/db/schema/sync";
import { Time } from "@/components/ui/time";

export function LastSync({
  at,
  runState,
  runMessage,
  detailed = false,
  sourceRemoved = false,
}: {
  at: Date | null;
  runState: SyncRunState | null;
  runMessage: string | null;
  /** Show the reason as text (the domain page) rather than only as the badge's tooltip (the list). */
  detailed?: boolean;
  /** The integration that kept it current has been removed: the time is history, not freshness. */
  sourceRemoved?: boolean;
}) {
  if (sourceRemoved) {
    return (
      <span className="flex min-w-0 flex-col items-start gap-0.5">
        <Badge tone="neutral" className="whitespace-nowrap" title="The integration that synced it was removed; connect it again to resume.">
          Not syncing
          {/* Said in full on the domain's page; a list column has room for the first words only. */}
          <span className={detailed ? undefined : "sr-only"}> — integration removed</span>
        </Badge>
        <span className="text-xs text-slate-500">
          last synced <Time date={at} />
        </span>
      </span>
    );
  }
  const problem = runState === "failed" ? "Sync failed" : runState === "partial" ? "Partial sync" : null;
  return (
    <span className="flex min-w-0 flex-col items-start gap-0.5">
      <Time date={at} className="text-slate-600" />
      {problem ? (
        <>
          <Badge tone={runState === "failed" ? "danger" : "warning"} className="whitespace-nowrap" title={runMessage ?? undefined}>
            {problem}
            {!detailed && runMessage ? <span className="sr-only">: {runMessage}</span> : null}
          </Badge>
          {detailed && runMessage ? <span className="max-w-prose break-words text-xs text-slate-600">{runMessage}</span> : null}
        </>
      ) : null}
    </span>
  );
}
