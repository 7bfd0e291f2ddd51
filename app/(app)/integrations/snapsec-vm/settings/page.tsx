import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { getLiveIntegration } from "@/db/queries/integrations";
import { can } from "@/server/api/permissions";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getDb } from "@/server/db";
import { getViewer } from "@/server/viewer";
import { VmSettings } from "./client";
import { loadVmSettingsSearchParams } from "./search-params";

export const metadata: Metadata = { title: "Snapsec VM settings" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await loadVmSettingsSearchParams(searchParams);
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  if (!can(viewer.role, "integrations:manage")) redirect("/integrations");
  const live = await getLiveIntegration(getDb(), { companyId: viewer.company.id, kind: "snapsec_vm" });
  if (!live) redirect("/integrations");
  if (live.state === "draft") redirect("/integrations/snapsec-vm/connect");

  prefetch(trpc.integrations.live.queryOptions({ kind: "snapsec_vm" }));
  prefetch(trpc.snapsecVm.progress.queryOptions({ id: live.id }));
  return (
    <HydrateClient>
      <VmSettings />
    </HydrateClient>
  );
}
