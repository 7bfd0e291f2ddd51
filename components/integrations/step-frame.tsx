// A wizard step or settings section: a card with a title, a description, the body, and Back / Continue (or Save).
import { Loader2 } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export type StepMode = "wizard" | "settings";

export function StepFrame({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description: React.ReactNode;
  children: React.ReactNode;
  footer?: React.ReactNode;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-5 py-5">{children}</CardContent>
      {footer ? <div className="flex items-center justify-between gap-3 border-t border-slate-100 px-5 py-3">{footer}</div> : null}
    </Card>
  );
}

/** Back on the left (a link, so it works before hydration), the primary action on the right. */
export function StepFooter({
  backHref,
  primaryLabel,
  pending,
  pendingLabel,
  disabled,
  form,
  onPrimary,
  extra,
}: {
  backHref?: string;
  primaryLabel: string;
  pending?: boolean;
  pendingLabel?: string;
  disabled?: boolean;
  form?: string;
  onPrimary?: () => void;
  extra?: React.ReactNode;
}) {
  return (
    <>
      <div>
        {backHref ? (
          <Button asChild variant="ghost">
            <Link href={backHref}>Back</Link>
          </Button>
        ) : null}
      </div>
      <div className="flex items-center gap-2">
        {extra}
        <Button type={form ? "submit" : "button"} form={form} onClick={onPrimary} disabled={disabled || pending}>
          {pending ? <Loader2 aria-hidden className="animate-spin" /> : null}
          {pending ? (pendingLabel ?? primaryLabel) : primaryLabel}
        </Button>
      </div>
    </>
  );
}
