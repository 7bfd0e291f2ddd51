import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

/** Answers that come out the same however often they are asked: retrying only keeps a skeleton on screen. */
const finalCodes = new Set(["NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "BAD_REQUEST", "PARSE_ERROR"]);

function errorCode(error: unknown): string | undefined {
  const data = (error as { data?: { code?: unknown } } | null)?.data;
  return typeof data?.code === "string" ? data.code : undefined;
}

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // An unknown id shows its "not found" state at once instead of after three retries (~7 s). The server
        // never retries (TanStack's default there): a failed prefetch is simply asked again by the browser.
        retry: (failures, error) => typeof window !== "undefined" && !finalCodes.has(errorCode(error) ?? "") && failures < 3,
      },
      dehydrate: {
        serializeData: superjson.serialize,
        // Only settled data (server/api/rsc.tsx awaits its prefetches): a query handed over while pending rendered
        // as loading on the server but with data in the browser, a hydration mismatch.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query),
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
