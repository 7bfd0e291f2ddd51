"use client";
// What a detail page shows when its thing cannot be loaded: "not found" (a wrong or old link, or another
// company's id) with the way back to its list, or the error's own message with Try again.
import { SearchX, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

type LoadError = { message: string; data?: { code?: string } | null };

export function MissingState({
  error,
  noun,
  back,
  onRetry,
}: {
  error: LoadError;
  /** "issue", "domain", "API". */
  noun: string;
  back: { href: string; label: string };
  onRetry?: () => void;
}) {
  const backLink = (
    <Button asChild variant={error.data?.code === "NOT_FOUND" ? "primary" : "secondary"}>
      <Link href={back.href}>{back.label}</Link>
    </Button>
  );
  if (error.data?.code === "NOT_FOUND") {
    return (
      <EmptyState
        icon={SearchX}
        title={`This ${noun} does not exist`}
        description={`The link may be old, or the ${noun} belongs to another company. Find it in the list instead.`}
        action={backLink}
      />
    );
  }
  return (
    <div role="alert">
      <EmptyState
        icon={TriangleAlert}
        title={`The ${noun} could not be loaded`}
        description={error.message}
        action={
          <span className="flex flex-wrap justify-center gap-2">
            {onRetry ? <Button onClick={onRetry}>Try again</Button> : null}
            {backLink}
          </span>
        }
      />
    </div>
  );
}
