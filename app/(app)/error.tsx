"use client";
// A page that failed to render, inside the app shell: what happened in plain words, Try again, and the error's
// reference for the server log (its message stays on the server).
import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert">
      <EmptyState
        headingLevel={1}
        icon={TriangleAlert}
        title="Something went wrong"
        description={`This page could not be shown. Try again; if it keeps failing, tell your admin${error.digest ? ` the reference ${error.digest}` : ""}.`}
        action={
          <span className="flex flex-wrap justify-center gap-2">
            <Button onClick={reset}>Try again</Button>
            <Button asChild variant="secondary">
              <Link href="/assets/fqdns">Go to FQDNs</Link>
            </Button>
          </span>
        }
      />
    </div>
  );
}
