import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { ExportCsvLink } from "@/components/views/export-csv-link";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { ApisClient } from "./client";
import { apiListQuery, loadApiSearchParams } from "./search-params";

export const metadata: Metadata = { title: "APIs" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadApiSearchParams(searchParams);
  const input = apiListQuery(params);
  prefetch(trpc.assets.listApis.queryOptions(input));
  if (input.fqdnIds) prefetch(trpc.assets.fqdnOptions.queryOptions({ ids: input.fqdnIds }));
  return (
    <>
      <PageHeader
        title="APIs"
        description="Every API endpoint under the domains you track, riskiest first."
        actions={
          <Suspense>
            <ExportCsvLink href="/api/export/apis" />
          </Suspense>
        }
      />
      <HydrateClient>
        <ApisClient />
      </HydrateClient>
    </>
  );
}
