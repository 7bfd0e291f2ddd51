import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { ExportCsvLink } from "@/components/views/export-csv-link";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { FqdnsClient } from "./client";
import { fqdnListQuery, loadFqdnSearchParams } from "./search-params";

export const metadata: Metadata = { title: "FQDNs" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadFqdnSearchParams(searchParams);
  prefetch(trpc.assets.listFqdns.queryOptions(fqdnListQuery(params)));
  prefetch(trpc.assets.overview.queryOptions());
  prefetch(trpc.assets.fqdnFacets.queryOptions());
  return (
    <>
      <PageHeader
        title="FQDNs"
        description="Every domain your integrations discovered, with its risk."
        actions={
          <Suspense>
            <ExportCsvLink href="/api/export/fqdns" />
          </Suspense>
        }
      />
      <HydrateClient>
        <FqdnsClient />
      </HydrateClient>
    </>
  );
}
