// The FQDN list's state in the URL (?q=&impact=high,medium&app=&tag=&sort=risk&dir=desc&page=2), read by the
// server page to prefetch and by the client to query: both build the query input with `fqdnListQuery`.
import { createLoader, parseAsArrayOf, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { businessImpacts } from "@/db/schema/vocabulary";
import { fqdnSorts, sortDirections } from "@/lib/list-options";
import type { RouterInputs } from "@/lib/trpc-types";

export const fqdnSearchParams = {
  q: parseAsString.withDefault(""),
  impact: parseAsArrayOf(parseAsStringLiteral(businessImpacts)).withDefault([]),
  app: parseAsString.withDefault(""),
  tag: parseAsString.withDefault(""),
  sort: parseAsStringLiteral(fqdnSorts).withDefault("risk"),
  dir: parseAsStringLiteral(sortDirections).withDefault("desc"),
  page: parseAsInteger.withDefault(1),
};
export const loadFqdnSearchParams = createLoader(fqdnSearchParams);

type FqdnParams = Awaited<ReturnType<typeof loadFqdnSearchParams>>;
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function fqdnListQuery(p: FqdnParams): RouterInputs["assets"]["listFqdns"] {
  return {
    q: p.q || undefined,
    impact: p.impact.length ? p.impact : undefined,
    applicationId: isUuid(p.app) ? p.app : undefined,
    tag: p.tag || undefined,
    sort: p.sort,
    dir: p.dir,
    page: Math.max(1, p.page),
  };
}
