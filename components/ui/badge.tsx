import { cva, type VariantProps } from "class-variance-authority";
import { cn } from "./cn";

export const badgeVariants = cva("inline-flex max-w-full items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", {
  variants: {
    tone: {
      neutral: "bg-slate-100 text-slate-700 ring-slate-200",
      brand: "bg-brand-50 text-brand-700 ring-brand-100",
      success: "bg-emerald-50 text-emerald-700 ring-emerald-200",
      warning: "bg-amber-50 text-amber-800 ring-amber-200",
      danger: "bg-red-50 text-red-700 ring-red-200",
      critical: "bg-red-100 text-red-800 ring-red-300",
      high: "bg-orange-50 text-orange-800 ring-orange-200",
      medium: "bg-yellow-50 text-yellow-800 ring-yellow-200",
      low: "bg-blue-50 text-blue-700 ring-blue-200",
      notification: "bg-slate-100 text-slate-600 ring-slate-200",
    },
  },
  defaultVariants: { tone: "neutral" },
});

export function Badge({ className, tone, ...props }: React.ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}
