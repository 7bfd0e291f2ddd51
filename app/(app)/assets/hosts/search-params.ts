// The Hosts list's state in the URL (?q=&sort=risk&dir=desc&page=2), read by the server page to prefetch and by the
// client to query: both build the query input with `hostListQuery`.
import { createLoader, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { hostSorts, sortDirections } from "@/lib/list-options";
import type { RouterInputs } from "@/lib/trpc-types";

export const hostSearchParams = {
  q: parseAsString.withDefault(""),
  sort: parseAsStringLiteral(hostSorts).withDefault("risk"),
  dir: parseAsStringLiteral(sortDirections).withDefault("desc"),
  page: parseAsInteger.withDefault(1),
};
export const loadHostSearchParams = createLoader(hostSearchParams);

type HostParams = Awaited<ReturnType<typeof loadHostSearchParams>>;

export function hostListQuery(p: HostParams): RouterInputs["assets"]["listHosts"] {
  return { q: p.q || undefined, sort: p.sort, dir: p.dir, page: Math.max(1, p.page) };
}
