import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { ConnectorsClient } from "./client";

export const metadata: Metadata = { title: "Connectors" };

/** Every member may open the workspace; what each may change is decided per action (server/api/permissions.ts). */
export default async function Page() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  prefetch(trpc.connectors.tenable.queryOptions());
  prefetch(trpc.connectors.runs.queryOptions());
  return (
    <>
      <PageHeader
        title="Connectors"
        description="Import vulnerability scan results from a third-party scanner onto the same assets as Salt's findings, with the same risk score."
      />
      <HydrateClient>
        <ConnectorsClient />
      </HydrateClient>
    </>
  );
}
