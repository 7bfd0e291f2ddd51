// A list of status changes (issue page history; FQDN activity), newest first.
import Link from "next/link";
import { Time } from "@/components/ui/time";
import type { IssueStatus, StatusOrigin } from "@/db/schema/vocabulary";
import { originLabel, StatusBadge } from "./badges";

export type StatusChange = {
  id: string;
  fromStatus: IssueStatus | null;
  toStatus: IssueStatus;
  origin: StatusOrigin;
  userName: string | null;
  note: string | null;
  riskAcceptedUntil?: Date | null;
  createdAt: Date;
  issue?: { id: string; title: string; assetName: string };
};

export function StatusChanges({ changes, empty }: { changes: StatusChange[]; empty: string }) {
  if (changes.length === 0) return <p className="py-4 text-sm text-slate-600">{empty}</p>;
  return (
    <ol className="divide-y divide-slate-100">
      {changes.map((change) => (
        <li key={change.id} className="flex items-start gap-3 py-3 text-sm">
          <span className="mt-1.5 size-2 shrink-0 rounded-full bg-slate-300" aria-hidden />
          <div className="min-w-0 flex-1">
            {change.issue ? (
              <p className="truncate">
                <Link href={`/issues/${change.issue.id}`} className="font-medium text-slate-900 hover:underline">
                  {change.issue.title}
                </Link>{" "}
                <span className="font-mono text-xs text-slate-600">{change.issue.assetName}</span>
              </p>
            ) : null}
            <p className="flex flex-wrap items-center gap-1.5 text-slate-700">
              {change.fromStatus ? (
                <>
                  <StatusBadge status={change.fromStatus} />
                  <span aria-label="changed to">→</span>
                </>
              ) : null}
              <StatusBadge status={change.toStatus} />
              <span>by {originLabel(change.origin, change.userName)}</span>
            </p>
            {change.riskAcceptedUntil ? (
              <p className="mt-1 text-slate-600">
                Accepted until <Time date={change.riskAcceptedUntil} format="date" />
              </p>
            ) : null}
            {change.note ? <p className="mt-1 whitespace-pre-line text-slate-600">{change.note}</p> : null}
          </div>
          <Time date={change.createdAt} className="shrink-0 text-xs text-slate-600" />
        </li>
      ))}
    </ol>
  );
}
