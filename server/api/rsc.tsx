// tRPC in server components: prefetch into a per-request QueryClient, then <HydrateClient> hands the
// results to client components so the first paint has data.
import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache } from "react";
import { makeQueryClient } from "@/components/trpc/query-client";
import { getViewer } from "@/server/viewer";
import { appRouter } from "./root";
import { createTRPCContext } from "./trpc";

export const getQueryClient = cache(makeQueryClient);

const createContext = cache(async () => createTRPCContext({ headers: new Headers(await headers()) }));

export const trpc = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

/**
 * A signed-out visit renders nothing here: the layout sends it to sign-in. Handing its prefetches (which fail
 * as unauthorised) to the client would stream rejected queries, which the server then logs as errors.
 */
export async function HydrateClient({ children }: { children: React.ReactNode }) {
  if (!(await getViewer())) return null;
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- accepts any procedure's query options
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): void {
  void getQueryClient().prefetchQuery(queryOptions);
}
