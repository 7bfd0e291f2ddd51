// The FQDN page's state in the URL: the tab, and the active tab's search, sort and page (and the Issues tab's filter).
import { createLoader, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { apiSorts, fqdnTabs, issueSorts, sortDirections } from "@/lib/list-options";
import type { RouterInputs } from "@/lib/trpc-types";
import { issueFilterQuery, issueFilterSearchParams } from "@/app/(app)/issues/search-params";

/** The Issues tab's filter is the Issues list's (open by default), with the domain fixed. */
export const fqdnPageSearchParams = {
  ...issueFilterSearchParams,
  tab: parseAsStringLiteral(fqdnTabs).withDefault("apis"),
  q: parseAsString.withDefault(""),
  sort: parseAsString.withDefault(""),
  dir: parseAsStringLiteral(sortDirections).withDefault("desc"),
  page: parseAsInteger.withDefault(1),
};
export const loadFqdnPageSearchParams = createLoader(fqdnPageSearchParams);
type Params = Awaited<ReturnType<typeof loadFqdnPageSearchParams>>;

const oneOf = <T extends string>(values: readonly T[], value: string, fallback: T): T => (values.includes(value as T) ? (value as T) : fallback);

export function fqdnApisQuery(id: string, p: Params): RouterInputs["assets"]["listApis"] {
  return { fqdnIds: [id], q: p.q || undefined, sort: oneOf(apiSorts, p.sort, "risk"), dir: p.dir, page: Math.max(1, p.page) };
}
export function fqdnIssuesQuery(id: string, p: Params): RouterInputs["issues"]["list"] {
  return { ...issueFilterQuery(p), fqdnIds: [id], sort: oneOf(issueSorts, p.sort, "severity"), dir: p.dir, page: Math.max(1, p.page) };
}
