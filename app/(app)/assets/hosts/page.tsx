import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { HostsClient } from "./client";
import { hostListQuery, loadHostSearchParams } from "./search-params";

export const metadata: Metadata = { title: "Hosts" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadHostSearchParams(searchParams);
  prefetch(trpc.assets.listHosts.queryOptions(hostListQuery(params)));
  return (
    <>
      <PageHeader title="Hosts" description="Machines your vulnerability scanner reports, with their risk. A host with the fqdn of an FQDN asset is that asset." />
      <HydrateClient>
        <HostsClient />
      </HydrateClient>
    </>
  );
}
