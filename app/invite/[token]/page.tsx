import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth-shell";
import { Notice } from "@/components/integrations/notice";
import { Button } from "@/components/ui/button";
import { roleInfo } from "@/server/api/permissions";
import { databaseReady, getDb } from "@/server/db";
import { describeInvitation } from "@/server/members";
import { getViewer } from "@/server/viewer";
import { AcceptInvitation } from "./client";

export const metadata: Metadata = { title: "Join a company" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  await databaseReady();
  const invitation = await describeInvitation(getDb(), token);
  if (!invitation) {
    return (
      <AuthShell title="Invitation not found">
        <Notice tone="danger" title="This invitation link is not valid.">
          Check that you copied all of it, or ask an admin of your company for a new one.
        </Notice>
      </AuthShell>
    );
  }
  const subtitle = (
    <>
      Join <bdi className="font-medium text-slate-900">{invitation.companyName}</bdi> as {roleInfo[invitation.role].label.toLowerCase()}.
    </>
  );
  if (invitation.message) {
    return (
      <AuthShell title="Join a company" subtitle={subtitle}>
        <Notice tone="warning" title="This invitation cannot be used.">
          {invitation.message}
        </Notice>
      </AuthShell>
    );
  }
  const viewer = await getViewer();
  const signedInAs = viewer?.user.email ?? null;
  if (invitation.accountExists && signedInAs !== invitation.email) {
    return (
      <AuthShell title="Join a company" subtitle={subtitle}>
        <Notice tone="info" title={`${invitation.email} already has a Postura account.`}>
          Sign in as {invitation.email}, then open this link again to add the company to your account.
        </Notice>
        <Button asChild className="mt-4 w-full">
          <Link href="/sign-in">Sign in</Link>
        </Button>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Join a company" subtitle={subtitle}>
      <AcceptInvitation token={token} email={invitation.email} existingAccount={invitation.accountExists} />
    </AuthShell>
  );
}
