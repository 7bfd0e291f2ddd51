// The APIs list's state in the URL (?fqdn=<id>,<id>&method=GET&riskMin=60&q=orders&sort=risk&dir=desc&page=2),
// read by the server page to prefetch and by the client to query: both build the input with `apiListQuery`.
import { createLoader, parseAsArrayOf, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { apiSorts, httpMethods, sortDirections } from "@/lib/list-options";
import type { RouterInputs } from "@/lib/trpc-types";

export const apiSearchParams = {
  q: parseAsString.withDefault(""),
  fqdn: parseAsArrayOf(parseAsString).withDefault([]),
  method: parseAsArrayOf(parseAsStringLiteral(httpMethods)).withDefault([]),
  riskMin: parseAsInteger,
  riskMax: parseAsInteger,
  sort: parseAsStringLiteral(apiSorts).withDefault("risk"),
  dir: parseAsStringLiteral(sortDirections).withDefault("desc"),
  page: parseAsInteger.withDefault(1),
};
export const loadApiSearchParams = createLoader(apiSearchParams);
type ApiParams = Awaited<ReturnType<typeof loadApiSearchParams>>;

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function apiListQuery(p: ApiParams): RouterInputs["assets"]["listApis"] {
  const fqdnIds = p.fqdn.filter(isUuid).slice(0, 50);
  return {
    q: p.q || undefined,
    fqdnIds: fqdnIds.length ? fqdnIds : undefined,
    methods: p.method.length ? p.method : undefined,
    riskMin: p.riskMin !== null && p.riskMin >= 0 ? p.riskMin : undefined,
    riskMax: p.riskMax !== null && p.riskMax >= 0 ? p.riskMax : undefined,
    sort: p.sort,
    dir: p.dir,
    page: Math.max(1, p.page),
  };
}

/** Risk bands offered in the filter (any range works through the URL). */
export const riskBands = [
  { label: "Critical (150+)", min: 150, max: null },
  { label: "High (60–149)", min: 60, max: 149 },
  { label: "Medium (20–59)", min: 20, max: 59 },
  { label: "Low (1–19)", min: 1, max: 19 },
  { label: "No risk (0)", min: 0, max: 0 },
] as const;
