import { Check } from "lucide-react";
import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { stepIndex, wizardStepLabels, wizardSteps, type StoredWizardStep, type WizardStep } from "@/lib/integration-wizard";

/** Where the person is in the wizard. Steps already reached are links back to them. */
export function Stepper<S extends string = WizardStep>({
  current,
  reached,
  hrefFor,
  steps = wizardSteps as unknown as readonly S[],
  labels = wizardStepLabels as unknown as Record<S, string>,
}: {
  current: S;
  reached: S | StoredWizardStep;
  hrefFor: (step: S) => string;
  /** The wizard's steps and their labels; Salt Security's by default. */
  steps?: readonly S[];
  labels?: Record<S, string>;
}) {
  const currentIndex = stepIndex(current, steps);
  const reachedIndex = stepIndex(reached, steps);
  return (
    <nav aria-label="Setup steps" className="mb-6">
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-2">
        {steps.map((step, i) => {
          const done = i < currentIndex || (i < reachedIndex && i !== currentIndex);
          const isCurrent = i === currentIndex;
          const reachable = i <= reachedIndex && !isCurrent;
          const inner = (
            <>
              <span
                className={cn(
                  "flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold",
                  isCurrent ? "bg-brand-600 text-white" : done ? "bg-brand-100 text-brand-700" : "bg-slate-200 text-slate-600",
                )}
              >
                {done ? <Check aria-hidden className="size-3.5" /> : i + 1}
              </span>
              <span className={cn("text-sm", isCurrent ? "font-semibold text-slate-900" : "text-slate-600")}>{labels[step]}</span>
              {done ? <span className="sr-only">(done)</span> : null}
            </>
          );
          return (
            <li key={step} className="flex items-center gap-2">
              {reachable ? (
                <Link href={hrefFor(step)} className="flex items-center gap-2 rounded-md px-1 py-0.5 hover:bg-slate-100">
                  {inner}
                </Link>
              ) : (
                <span className="flex items-center gap-2 px-1 py-0.5" aria-current={isCurrent ? "step" : undefined}>
                  {inner}
                </span>
              )}
              {i < steps.length - 1 ? <span aria-hidden className="mx-1 h-px w-8 bg-slate-300" /> : null}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
