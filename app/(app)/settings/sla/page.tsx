import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { can, refusalMessages } from "@/server/api/permissions";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { SlaClient } from "./client";

export const metadata: Metadata = { title: "SLA" };

/** Every member sees the SLA; admins change it (checked again by the server on save). */
export default async function Page() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  prefetch(trpc.overview.slaPolicy.queryOptions());
  const canManage = can({ role: viewer.role, permissions: viewer.grants }, "sla:manage");
  return (
    <>
      <PageHeader title="SLA" description="How many days an open issue of each severity may stay open before it breaches its SLA." />
      <HydrateClient>
        <SlaClient canManage={canManage} refusal={refusalMessages["sla:manage"]} />
      </HydrateClient>
    </>
  );
}
