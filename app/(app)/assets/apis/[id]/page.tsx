import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { z } from "zod";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { ApiClient } from "./client";
import { apiIssuesQuery, loadApiPageSearchParams } from "./search-params";

export const metadata: Metadata = { title: "API" };

export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const query = await loadApiPageSearchParams(searchParams);
  prefetch(trpc.assets.detail.queryOptions({ id }));
  prefetch(trpc.issues.list.queryOptions(apiIssuesQuery(id, query)));
  return (
    <HydrateClient>
      <ApiClient id={id} />
    </HydrateClient>
  );
}
