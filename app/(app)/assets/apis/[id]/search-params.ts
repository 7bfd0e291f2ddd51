// The API page's issue list state in the URL.
import { createLoader, parseAsInteger, parseAsStringLiteral } from "nuqs/server";
import { issueSorts, sortDirections } from "@/lib/list-options";
import type { RouterInputs } from "@/lib/trpc-types";

export const apiPageSearchParams = {
  sort: parseAsStringLiteral(issueSorts).withDefault("severity"),
  dir: parseAsStringLiteral(sortDirections).withDefault("desc"),
  page: parseAsInteger.withDefault(1),
};
export const loadApiPageSearchParams = createLoader(apiPageSearchParams);

export function apiIssuesQuery(id: string, p: Awaited<ReturnType<typeof loadApiPageSearchParams>>): RouterInputs["issues"]["list"] {
  return { assetId: id, sort: p.sort, dir: p.dir, page: Math.max(1, p.page) };
}
