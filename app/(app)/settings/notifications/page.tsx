import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { NotificationsClient } from "./client";

export const metadata: Metadata = { title: "Notifications" };

/** Every member may read where notifications go; admins change it (server/api/permissions.ts). */
export default async function Page() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  prefetch(trpc.notifications.settings.queryOptions());
  prefetch(trpc.notifications.deliveries.queryOptions());
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Send new Critical issues, SLA breaches, failed write-backs and forwards, and silent Salt webhooks to a Slack-compatible webhook and by e-mail."
      />
      <HydrateClient>
        <NotificationsClient />
      </HydrateClient>
    </>
  );
}
