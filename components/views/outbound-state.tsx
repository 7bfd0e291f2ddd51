// One line saying where an outbound push stands (a write-back to the source, a forward to Snapsec VM): an icon and
// a tone per state, the text, and Retry after a failure. The callers say what happened in their own words.
import { AlertTriangle, CheckCircle2, CircleSlash, Loader2, RotateCw } from "lucide-react";
import { Button } from "@/components/ui/button";

export type OutboundTone = "pending" | "done" | "skipped" | "failed";

const icons: Record<OutboundTone, React.ReactNode> = {
  pending: <Loader2 className="size-4 animate-spin" aria-hidden />,
  done: <CheckCircle2 className="size-4" aria-hidden />,
  skipped: <CircleSlash className="size-4" aria-hidden />,
  failed: <AlertTriangle className="size-4" aria-hidden />,
};

const tones: Record<OutboundTone, string> = {
  pending: "border-slate-200 bg-slate-50 text-slate-700",
  done: "border-emerald-200 bg-emerald-50 text-emerald-800",
  skipped: "border-amber-200 bg-amber-50 text-amber-900",
  failed: "border-red-200 bg-red-50 text-red-800",
};

export function OutboundStateLine({
  tone,
  testId,
  state,
  children,
  onRetry,
  retrying,
}: {
  tone: OutboundTone;
  testId: string;
  state: string;
  children: React.ReactNode;
  /** Shown only for a failure, and only to those who may retry. */
  onRetry?: () => void;
  retrying?: boolean;
}) {
  return (
    <div role="status" data-testid={testId} data-state={state} className={`mt-3 flex items-start gap-2 rounded-md border px-3 py-2 text-sm ${tones[tone]}`}>
      <span className="mt-0.5 shrink-0">{icons[tone]}</span>
      <span className="min-w-0 flex-1">{children}</span>
      {tone === "failed" && onRetry ? (
        <Button size="sm" variant="secondary" onClick={onRetry} disabled={retrying}>
          <RotateCw aria-hidden />
          Retry
        </Button>
      ) : null}
    </div>
  );
}
