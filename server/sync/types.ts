// What the sync engine needs from a scanner integration, in Postura's words. Each integration (Salt Security in
// server/integrations/salt-security/sync-source.ts, Tenable.io in server/integrations/tenable/sync-source.ts) turns
// its API's answers into these shapes, so nothing in server/sync/ knows a scanner's field names.
import type { IssueStatus, Severity, SkippedRecord, SyncTrigger } from "@/db/schema";

/** An API endpoint under a domain, as the scanner's inventory reports it. */
export type SourceEndpoint = {
  /** Stable key at the source; stored as the API asset's externalRef. */
  ref: string;
  /** What the user sees, e.g. "GET /v1/users/{id}". */
  name: string;
  method: string;
  path: string;
  labels: string[];
};

/** A machine a vulnerability scanner reports (Tenable's asset, resolved to one node across scans). */
export type SourceHost = {
  /** The node's stable key at the source. */
  ref: string;
  /** What the user sees: the fqdn, else the host name, else the IPv4. */
  name: string;
  hostname: string | null;
  /** Lowercase, no trailing dot: compared with FQDN assets' hosts. */
  fqdn: string | null;
  ipv4: string | null;
  operatingSystem: string | null;
};

/** What a vulnerability scanner says about a finding beyond the common fields. */
export type SourceVulnerability = {
  cves: string[];
  cvssScore: number | null;
  vprScore: number | null;
  port: number | null;
  protocol: string | null;
  service: string | null;
};

/** A finding (for Salt: a posture gap on an endpoint; for Tenable: a plugin result on a host). */
export type SourceFinding = {
  externalId: string;
  title: string;
  severity: Severity;
  /** The source's own status word, kept on the issue as externalStatus. */
  externalStatus: string;
  /** The Postura status whose mapping row holds externalStatus; null when no row does. */
  mappedStatus: IssueStatus | null;
  categories: string[];
  cwe: string | null;
  detectedAt: Date | null;
  lastActivityAt: Date | null;
  /** The endpoint it is on (API findings), or null for a host finding. */
  endpoint: SourceEndpoint | null;
  /** The host it is on (vulnerability-scanner findings). */
  host?: SourceHost;
  vulnerability?: SourceVulnerability;
  /** Source-specific extras shown on the issue page (tickets, labels). */
  details: Record<string, unknown>;
};

/**
 * One page from the source: the records it could read, and the ones it could not (malformed rows), named.
 * Skipped records make the run partial; their ids still count as seen, so nothing is closed for being unreadable.
 */
export type SourcePage<T> = { records: T[]; skipped: SkippedRecord[] };

/** One domain's data at the source, streamed page by page. A thrown error means the read is incomplete. */
export interface SyncSource {
  /** The source's name as users know it, e.g. "Salt Security" (used in closing reasons). */
  readonly displayName: string;
  /** The domain's own labels, or null when the source no longer knows the domain. */
  domainLabels(domain: string): Promise<string[] | null>;
  /** An estimate of how many endpoints the domain has, for the progress bar; null when unknown. */
  endpointCountHint(domain: string): Promise<number | null>;
  endpoints(domain: string): AsyncIterable<SourcePage<SourceEndpoint>>;
  findings(domain: string): AsyncIterable<SourcePage<SourceFinding>>;
}

/**
 * The same seam for a scanner that reports hosts rather than domains, for the whole company in one read
 * (Tenable.io's vulnerability export): its findings carry their host, and the source reports every fix explicitly
 * (FIXED), so nothing is ever closed for being absent. server/sync/host-import.ts runs it through the same ingest
 * statements as the domain sync.
 */
export interface HostSyncSource {
  readonly displayName: string;
  /** Findings page by page (one page per export chunk), at most one result per finding: the most recent. */
  findings(): AsyncIterable<SourcePage<SourceFinding>>;
  /** Stops the read at the source; iteration ends after the page in hand. */
  cancel(): Promise<void>;
}

/** Read progress of a host source, in the source's own units (Tenable: export chunks). */
export type HostSyncProgress = { done: number; total: number | null; exportRef: string | null };

export type DomainSyncJobData = {
  companyId: string;
  integrationId: string;
  domain: string;
  trigger: SyncTrigger;
  /** The sync_runs row created when the job was queued. */
  runId: string;
};

/** The reason an issue is closed when its finding disappears from a complete read of its domain. */
export function noLongerReportedReason(source: Pick<SyncSource, "displayName">): string {
  return `no longer reported by ${source.displayName}`;
}
