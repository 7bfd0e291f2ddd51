import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { z } from "zod";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { FqdnClient } from "./client";
import { fqdnApisQuery, fqdnIssuesQuery, loadFqdnPageSearchParams } from "./search-params";

export const metadata: Metadata = { title: "FQDN" };

export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const [viewer, query] = await Promise.all([getViewer(), loadFqdnPageSearchParams(searchParams)]);
  prefetch(trpc.assets.detail.queryOptions({ id }));
  if (query.tab === "apis") prefetch(trpc.assets.listApis.queryOptions(fqdnApisQuery(id, query)));
  if (query.tab === "issues") prefetch(trpc.issues.list.queryOptions(fqdnIssuesQuery(id, query)));
  if (query.tab === "activity") prefetch(trpc.assets.domainActivity.queryOptions({ id }));
  return (
    <HydrateClient>
      <FqdnClient id={id} canEditImpact={viewer?.permissions.includes("assets:edit_business_impact") ?? false} />
    </HydrateClient>
  );
}
