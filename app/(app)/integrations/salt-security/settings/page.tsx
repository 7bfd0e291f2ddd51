import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { getLiveIntegration } from "@/db/queries/integrations";
import { can } from "@/server/api/permissions";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getDb } from "@/server/db";
import { getViewer } from "@/server/viewer";
import { IntegrationSettings } from "./client";
import { loadSettingsSearchParams } from "./search-params";

export const metadata: Metadata = { title: "Salt Security settings" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await loadSettingsSearchParams(searchParams);
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  if (!can(viewer.role, "integrations:manage")) redirect("/integrations");
  const live = await getLiveIntegration(getDb(), { companyId: viewer.company.id, kind: "salt_security" });
  if (!live) redirect("/integrations");
  if (live.state === "draft") redirect("/integrations/salt-security/connect");

  prefetch(trpc.integrations.live.queryOptions({ kind: "salt_security" }));
  prefetch(trpc.integrations.domains.queryOptions({ id: live.id }));
  prefetch(trpc.sync.runs.queryOptions({ integrationId: live.id, limit: 200 }));
  return (
    <HydrateClient>
      <IntegrationSettings />
    </HydrateClient>
  );
}
