import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { z } from "zod";
import { fetchOrNotFound, HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { FqdnClient } from "./client";
import { fqdnApisQuery, fqdnIssuesQuery, loadFqdnPageSearchParams } from "./search-params";

/** The tab says which domain. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return { title: "FQDN" };
  const domain = await fetchOrNotFound(trpc.assets.detail.queryOptions({ id }));
  return { title: domain ? `${domain.name} · FQDN` : "FQDN" };
}

export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const [viewer, query] = await Promise.all([getViewer(), loadFqdnPageSearchParams(searchParams)]);
  if (query.tab === "apis") prefetch(trpc.assets.listApis.queryOptions(fqdnApisQuery(id, query)));
  if (query.tab === "issues") {
    prefetch(trpc.issues.list.queryOptions(fqdnIssuesQuery(id, query)));
    prefetch(trpc.issues.categories.queryOptions());
    prefetch(trpc.issues.assignees.queryOptions());
  }
  prefetch(trpc.overview.slaPolicy.queryOptions());
  if (query.tab === "activity") prefetch(trpc.assets.domainActivity.queryOptions({ id }));
  // The other prefetches are under way; an unknown id ends here with the not-found page.
  await fetchOrNotFound(trpc.assets.detail.queryOptions({ id }));
  return (
    <HydrateClient>
      <FqdnClient id={id} canEditImpact={viewer?.permissions.includes("assets:edit_business_impact") ?? false} />
    </HydrateClient>
  );
}
