// The Issues list's state in the URL (?severity=critical,high&status=identified,in_progress&category=BOLA
// &source=salt_security&fqdn=<id>&writeBack=failed&owner=me&sla=breached&q=&sort=severity&dir=desc&page=2), shared by the server page and the client.
import { createLoader, parseAsArrayOf, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { integrationKinds, issueStatuses, severities } from "@/db/schema/vocabulary";

/** The states of an issue's latest write-back, as the filter offers them. */
export const writeBackFilterStates = ["pending", "done", "skipped", "failed"] as const;
import { issueSorts, sortDirections } from "@/lib/list-options";
import { slaStates } from "@/lib/sla";
import type { RouterInputs } from "@/lib/trpc-types";

export const issueSources = [...integrationKinds, "manual"] as const;

export const issueSearchParams = {
  q: parseAsString.withDefault(""),
  severity: parseAsArrayOf(parseAsStringLiteral(severities)).withDefault([]),
  status: parseAsArrayOf(parseAsStringLiteral(issueStatuses)).withDefault([]),
  category: parseAsString.withDefault(""),
  source: parseAsStringLiteral(issueSources),
  fqdn: parseAsArrayOf(parseAsString).withDefault([]),
  writeBack: parseAsStringLiteral(writeBackFilterStates),
  owner: parseAsStringLiteral(["me"] as const),
  sla: parseAsStringLiteral(slaStates),
  sort: parseAsStringLiteral(issueSorts).withDefault("severity"),
  dir: parseAsStringLiteral(sortDirections).withDefault("desc"),
  page: parseAsInteger.withDefault(1),
};
export const loadIssueSearchParams = createLoader(issueSearchParams);
type IssueParams = Awaited<ReturnType<typeof loadIssueSearchParams>>;

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function issueListQuery(p: IssueParams): RouterInputs["issues"]["list"] {
  const fqdnIds = p.fqdn.filter(isUuid).slice(0, 50);
  return {
    q: p.q || undefined,
    severities: p.severity.length ? p.severity : undefined,
    statuses: p.status.length ? p.status : undefined,
    category: p.category || undefined,
    source: p.source ?? undefined,
    fqdnIds: fqdnIds.length ? fqdnIds : undefined,
    writeBack: p.writeBack ?? undefined,
    owner: p.owner ?? undefined,
    sla: p.sla ?? undefined,
    sort: p.sort,
    dir: p.dir,
    page: Math.max(1, p.page),
  };
}
