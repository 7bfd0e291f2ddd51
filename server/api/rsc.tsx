// tRPC in server components: prefetch into a per-request QueryClient, then <HydrateClient> hands the
// settled results to client components so the first paint has data, the same on the server and in the browser.
import "server-only";
import { dehydrate, type FetchQueryOptions, HydrationBoundary, type QueryKey } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { makeQueryClient } from "@/components/trpc/query-client";
import { getViewer } from "@/server/viewer";
import { appRouter } from "./root";
import { createTRPCContext } from "./trpc";

export const getQueryClient = cache(makeQueryClient);

const createContext = cache(async () => createTRPCContext({ headers: new Headers(await headers()) }));

export const trpc = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

/** This request's prefetches, awaited before they are handed to the browser. */
const prefetches = cache((): Promise<void>[] => []);

/**
 * Hands this request's prefetched queries to the client components below it, once they have all settled.
 * Handing over a query still in flight let the server render it as loading while the browser, whose copy had
 * resolved by then, hydrated it with data: React error #418 on every page with a prefetch.
 * A signed-out visit renders nothing here (the layout sends it to sign-in): its prefetches fail as unauthorised,
 * and streaming those rejections made the server log "Error: redacted" for every signed-out visit.
 */
export async function HydrateClient({ children }: { children: React.ReactNode }) {
  if (!(await getViewer())) return null;
  await Promise.all(prefetches());
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- accepts any procedure's query options
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): void {
  // prefetchQuery never rejects: a failed query is simply not handed over, and the browser asks again.
  prefetches().push(getQueryClient().prefetchQuery(queryOptions));
}

/**
 * A detail page's thing, fetched once per request (generateMetadata names the tab after it; the page's
 * HydrateClient hands the same cached result to the browser). A NOT_FOUND answer (an unknown id, or another
 * company's) renders the app's not-found page at once, with a 404. Any other failure is null: the page's client
 * component asks again and shows the error itself.
 */
export async function fetchOrNotFound<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  queryOptions: FetchQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): Promise<TData | null> {
  if (!(await getViewer())) return null;
  try {
    return await getQueryClient().fetchQuery(queryOptions);
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    return null;
  }
}
