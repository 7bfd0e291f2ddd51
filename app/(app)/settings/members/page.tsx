import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/server/api/permissions";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { MembersClient } from "./client";
import { homePath } from "@/lib/routes";

export const metadata: Metadata = { title: "Members" };

export default async function Page() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  if (!can({ role: viewer.role, permissions: viewer.grants }, "members:manage")) redirect(homePath);
  prefetch(trpc.members.list.queryOptions());
  return (
    <>
      <PageHeader title="Members" description={`Who can use Postura for ${viewer.company.name}, with which role and permissions.`} />
      <HydrateClient>
        <MembersClient />
      </HydrateClient>
    </>
  );
}
