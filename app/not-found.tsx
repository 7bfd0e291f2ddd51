// Addresses outside the app shell that match nothing (signed-in visitors get the app's own page through
// app/(app)/[...unknown]): the product's frame, not Next.js's bare 404.
import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth-shell";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <AuthShell title="Page not found" subtitle="There is nothing at this address. The link may be old or mistyped.">
      <div className="flex justify-center">
        <Button asChild>
          <Link href="/">Go to Postura</Link>
        </Button>
      </div>
    </AuthShell>
  );
}
