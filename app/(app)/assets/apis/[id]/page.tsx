import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { z } from "zod";
import { fetchOrNotFound, HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { ApiClient } from "./client";
import { apiIssuesQuery, loadApiPageSearchParams } from "./search-params";

/** The tab says which API: method, path and domain. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return { title: "API" };
  const api = await fetchOrNotFound(trpc.assets.detail.queryOptions({ id }));
  if (!api) return { title: "API" };
  const name = [api.method, api.path ?? api.name].filter(Boolean).join(" ");
  return { title: api.parent ? `${name} · ${api.parent.name}` : name };
}

export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const query = await loadApiPageSearchParams(searchParams);
  prefetch(trpc.issues.list.queryOptions(apiIssuesQuery(id, query)));
  prefetch(trpc.overview.slaPolicy.queryOptions());
  // The other prefetches are under way; an unknown id ends here with the not-found page.
  await fetchOrNotFound(trpc.assets.detail.queryOptions({ id }));
  return (
    <HydrateClient>
      <ApiClient id={id} />
    </HydrateClient>
  );
}
