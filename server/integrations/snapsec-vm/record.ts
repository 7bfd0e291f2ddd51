// A Postura issue as one Snapsec VM vulnerability: our words mapped onto VM's (severity, confidence, threat category,
// status through the integration's mapping). VM's field names stay in this folder.
import type { Confidence, IssueStatus, Severity, VmStatusMapping } from "@/db/schema";
import { VM_LIMITS, type VmConfidence, type VmSeverity, type VmThreatStatus, type VmVulnerabilityInput } from "./contract";

/** Everything forwarded about one issue, read by server/forwarding/ in one query. */
export interface ForwardedIssue {
  id: string;
  title: string;
  severity: Severity;
  status: IssueStatus;
  confidence: Confidence | null;
  categories: string[];
  cwe: string | null;
  source: string | null;
  mitigationNotes: string;
  attackVectors: string[];
  details: Record<string, unknown> | null;
  /** The project: the FQDN the issue's API sits under. */
  project: string | null;
  method: string | null;
  path: string | null;
  tags: string[];
  applications: string[];
  /** The issue's owner (a member of the company), by email: how a VM workspace knows its people. */
  owner: string | null;
}

const severityToVm: Record<Severity, VmSeverity> = { critical: "Critical", high: "High", medium: "Medium", low: "Low", notification: "Info" };
const confidenceToVm: Record<Confidence, VmConfidence> = { high: "High", medium: "Medium", low: "Low" };

/** Threat categories VM users filter on, recognised from the issue's categories (Salt's, OWASP's, a scanner's words). */
const THREAT_CATEGORIES: readonly [RegExp, string][] = [
  [/inject|sqli|xss|cross.site.script|command exec|rce/i, "Injection"],
  [/auth(entication)?\s*bypass|broken (user )?auth|authentication|credential|session|jwt|token/i, "Authentication Bypass"],
  [/authori[sz]ation|bola|idor|object level|function level|privilege/i, "Broken Authorization"],
  [/cors|cross.origin/i, "CORS"],
  [/ssrf|server.side request/i, "SSRF"],
  [/rate.?limit|resource consumption|dos\b|denial/i, "Rate Limiting"],
  [/exposure|sensitive data|pii|leak|disclos/i, "Sensitive Data Exposure"],
  [/misconfig|header|tls|ssl|https/i, "Security Misconfiguration"],
];

export function threatCategoryOf(categories: readonly string[]): string | null {
  for (const category of categories) {
    for (const [pattern, name] of THREAT_CATEGORIES) if (pattern.test(category)) return name;
  }
  const first = categories.find((c) => c.trim() !== "");
  return first ? first.trim().slice(0, VM_LIMITS.shortText) : null;
}

/** The VM status a Postura status maps to (the first of its row), or null when the row is empty (not sent). */
export function vmStatusFor(status: IssueStatus, mapping: VmStatusMapping): VmThreatStatus | null {
  return mapping[status]?.[0] ?? null;
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

export function toVmVulnerability(
  issue: ForwardedIssue,
  { externalId, status, link }: { externalId: string; status: VmThreatStatus; link: string },
): VmVulnerabilityInput {
  const description = typeof issue.details?.description === "string" ? issue.details.description : issue.title;
  const metadata: Record<string, string> = { postura_link: clip(link, VM_LIMITS.metadataValue) };
  if (issue.source) metadata.source = issue.source;
  if (issue.cwe) metadata.cwe = issue.cwe;
  if (issue.categories.length > 0) metadata.categories = clip(issue.categories.join(", "), VM_LIMITS.metadataValue);
  if (issue.applications.length > 0) metadata.applications = clip(issue.applications.join(", "), VM_LIMITS.metadataValue);
  const tags = [...new Set([...issue.tags, ...issue.applications.map((a) => `app:${a}`)])]
    .map((t) => clip(t.trim(), VM_LIMITS.shortText))
    .filter((t) => t !== "")
    .slice(0, VM_LIMITS.listItems);
  return {
    externalId,
    title: clip(issue.title, VM_LIMITS.title),
    severity: severityToVm[issue.severity],
    status,
    owner: issue.owner ? clip(issue.owner, VM_LIMITS.shortText) : null,
    project: issue.project ? clip(issue.project, VM_LIMITS.shortText) : null,
    confidence: issue.confidence ? confidenceToVm[issue.confidence] : null,
    endpoint:
      issue.project && issue.method && issue.path
        ? { host: clip(issue.project, VM_LIMITS.shortText), method: issue.method.slice(0, 16), path: clip(issue.path, VM_LIMITS.metadataValue) }
        : null,
    threatCategory: threatCategoryOf(issue.categories),
    description: clip(description, VM_LIMITS.text),
    mitigationNotes: clip(issue.mitigationNotes, VM_LIMITS.text),
    attackVectors: issue.attackVectors.filter((v) => v.trim() !== "").slice(0, VM_LIMITS.listItems).map((v) => clip(v, VM_LIMITS.metadataValue)),
    tags,
    metadata,
  };
}
