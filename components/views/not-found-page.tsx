// The app's own "not found": a wrong link inside the app shell, said plainly, with the way back.
import { SearchX } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export function NotFoundPage({
  title = "Page not found",
  description = "There is nothing at this address. The link may be old or mistyped.",
  back = { href: "/assets/fqdns", label: "Go to FQDNs" },
}: {
  title?: string;
  description?: string;
  back?: { href: string; label: string };
}) {
  return (
    <EmptyState
      headingLevel={1}
      icon={SearchX}
      title={title}
      description={description}
      action={
        <span className="flex flex-wrap justify-center gap-2">
          <Button asChild>
            <Link href={back.href}>{back.label}</Link>
          </Button>
          {back.href !== "/issues" ? (
            <Button asChild variant="secondary">
              <Link href="/issues">Issues</Link>
            </Button>
          ) : null}
        </span>
      }
    />
  );
}
