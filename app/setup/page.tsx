import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth-shell";
import { signedOutDestination } from "@/server/viewer";
import { SetupForm } from "./client";

export const metadata: Metadata = { title: "Set up Postura" };
export const dynamic = "force-dynamic";

/** First run only: once anyone can sign in, this page is gone (and the server refuses setup). */
export default async function SetupPage() {
  if ((await signedOutDestination()) !== "/setup") redirect("/sign-in");
  return (
    <AuthShell title="Set up Postura" subtitle="Create your company and its first admin account. You can invite your team next.">
      <SetupForm />
    </AuthShell>
  );
}
