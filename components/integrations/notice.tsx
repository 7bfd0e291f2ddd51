import { AlertTriangle, CheckCircle2, Info, XCircle } from "lucide-react";
import { cn } from "@/components/ui/cn";

const tones = {
  info: { box: "border-sky-200 bg-sky-50 text-sky-900", icon: Info, iconClass: "text-sky-600" },
  success: { box: "border-emerald-200 bg-emerald-50 text-emerald-900", icon: CheckCircle2, iconClass: "text-emerald-600" },
  warning: { box: "border-amber-200 bg-amber-50 text-amber-900", icon: AlertTriangle, iconClass: "text-amber-600" },
  danger: { box: "border-red-200 bg-red-50 text-red-900", icon: XCircle, iconClass: "text-red-600" },
} as const;

/** A boxed message. `role="alert"` for errors the person must act on; status for the rest. */
export function Notice({
  tone,
  title,
  children,
  className,
  live = tone === "danger" ? "alert" : "status",
}: {
  tone: keyof typeof tones;
  title?: string;
  children?: React.ReactNode;
  className?: string;
  live?: "alert" | "status" | "none";
}) {
  const { box, icon: Icon, iconClass } = tones[tone];
  return (
    <div role={live === "none" ? undefined : live} className={cn("flex gap-3 rounded-md border px-4 py-3 text-sm", box, className)}>
      <Icon aria-hidden className={cn("mt-0.5 size-4 shrink-0", iconClass)} />
      <div className="min-w-0 space-y-1">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className="leading-relaxed">{children}</div> : null}
      </div>
    </div>
  );
}
