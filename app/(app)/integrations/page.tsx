import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/server/api/permissions";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { IntegrationsCatalog } from "./client";
import { loadCatalogSearchParams } from "./search-params";

export const metadata: Metadata = { title: "Integrations" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await loadCatalogSearchParams(searchParams);
  const viewer = await getViewer();
  prefetch(trpc.integrations.catalog.queryOptions());
  return (
    <>
      <PageHeader title="Integrations" description="Connect the tools that find problems in your APIs, and push status back to them." />
      <HydrateClient>
        <IntegrationsCatalog
          canManage={viewer ? can(viewer.role, "integrations:manage") : false}
          canImport={viewer?.permissions.includes("integrations:import") ?? false}
        />
      </HydrateClient>
    </>
  );
}
