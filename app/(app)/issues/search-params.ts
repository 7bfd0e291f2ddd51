// The Issues list's state in the URL, shared by the server page, the client, the CSV export and saved views:
// ?state=open&severity=critical,high&status=identified&category=BOLA&source=salt_security&owner=me,none
// &forward=failed&writeBack=failed&sla=breached&fqdn=<id>&q=&sort=severity&dir=desc&page=2
// Without `state` the list shows open issues — unless `status` is given (links made before the Open / Closed / All
// switch): then the switch follows the statuses asked for, so `?status=fixed` still lists the fixed issues.
import { createLoader, createSerializer, parseAsArrayOf, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { forwardFilterStates } from "@/db/schema/forwarding";
import { writeBackStates } from "@/db/schema/sync";
import { closedIssueStatuses, integrationKinds, type IssueState, issueStates, type IssueStatus, issueStatuses, openIssueStatuses, severities } from "@/db/schema/vocabulary";
import { issueSorts, sortDirections } from "@/lib/list-options";
import { slaStates } from "@/lib/sla";
import type { RouterInputs } from "@/lib/trpc-types";

export const issueSources = [...integrationKinds, "manual"] as const;
/** The states of an issue's latest write-back, as the filter offers them. */
export const writeBackFilterStates = writeBackStates;

/** The filter's parameters (what a saved view keeps). */
export const issueFilterSearchParams = {
  q: parseAsString.withDefault(""),
  state: parseAsStringLiteral(issueStates),
  severity: parseAsArrayOf(parseAsStringLiteral(severities)).withDefault([]),
  status: parseAsArrayOf(parseAsStringLiteral(issueStatuses)).withDefault([]),
  category: parseAsArrayOf(parseAsString).withDefault([]),
  source: parseAsArrayOf(parseAsStringLiteral(issueSources)).withDefault([]),
  owner: parseAsArrayOf(parseAsString).withDefault([]),
  forward: parseAsArrayOf(parseAsStringLiteral(forwardFilterStates)).withDefault([]),
  writeBack: parseAsArrayOf(parseAsStringLiteral(writeBackStates)).withDefault([]),
  sla: parseAsStringLiteral(slaStates),
  fqdn: parseAsArrayOf(parseAsString).withDefault([]),
};

export const issueSearchParams = {
  ...issueFilterSearchParams,
  sort: parseAsStringLiteral(issueSorts).withDefault("severity"),
  dir: parseAsStringLiteral(sortDirections).withDefault("desc"),
  page: parseAsInteger.withDefault(1),
};
export const loadIssueSearchParams = createLoader(issueSearchParams);
export const serializeIssueSearchParams = createSerializer(issueSearchParams);
type IssueParams = Awaited<ReturnType<typeof loadIssueSearchParams>>;
export type IssueFilterParams = Pick<IssueParams, keyof typeof issueFilterSearchParams>;

/** Every filter parameter cleared (for "Clear filters"; the switch goes back to Open). */
export const clearedIssueFilters = Object.fromEntries(Object.keys(issueFilterSearchParams).map((key) => [key, null])) as {
  [K in keyof typeof issueFilterSearchParams]: null;
};

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const within = (statuses: readonly IssueStatus[], group: readonly IssueStatus[]) => statuses.every((s) => group.includes(s));

/** The switch's position: as the URL says, else what its statuses imply, else Open. */
export function issueStateOf(p: Pick<IssueParams, "state" | "status">): IssueState {
  if (p.state) return p.state;
  if (p.status.length === 0 || within(p.status, openIssueStatuses)) return "open";
  return within(p.status, closedIssueStatuses) ? "closed" : "all";
}

/** The URL's filter as the server's filter input (the list's, the count's, the export's and a saved view's). */
export function issueFilterQuery(p: IssueFilterParams): Omit<RouterInputs["issues"]["list"], "sort" | "dir" | "page"> {
  const fqdnIds = p.fqdn.filter(isUuid).slice(0, 50);
  const list = <T,>(values: T[]) => (values.length ? [...new Set(values)].slice(0, 50) : undefined);
  return {
    q: p.q || undefined,
    state: issueStateOf(p),
    severities: list(p.severity),
    statuses: list(p.status),
    categories: list(p.category),
    sources: list(p.source),
    owners: list(p.owner),
    forwarding: list(p.forward),
    writeBack: list(p.writeBack),
    sla: p.sla ?? undefined,
    fqdnIds: fqdnIds.length ? fqdnIds : undefined,
  };
}

export function issueListQuery(p: IssueParams): RouterInputs["issues"]["list"] {
  return { ...issueFilterQuery(p), sort: p.sort, dir: p.dir, page: Math.max(1, p.page) };
}

const serializeIssueFilter = createSerializer(issueFilterSearchParams);

/**
 * A query string reduced to the list's filter, in one canonical form with the switch spelled out (what a saved view
 * keeps): unknown parameters, sort and page are dropped, and values that do not parse are left out.
 */
export function canonicalIssueFilter(query: string): string {
  const params = loadIssueSearchParams(new URLSearchParams(query));
  const { sort: _sort, dir: _dir, page: _page, ...filter } = params;
  return serializeIssueFilter({ ...filter, state: issueStateOf(filter) }).replace(/^\?/, "");
}
