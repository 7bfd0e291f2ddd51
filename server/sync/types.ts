// What the sync engine needs from a scanner integration, in Postura's words. Each integration (today Salt
// Security, in server/integrations/salt-security/sync-source.ts) turns its API's answers into these shapes, so
// nothing in server/sync/ knows a scanner's field names.
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

/** A finding (for Salt: a posture gap) on one endpoint. */
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
  endpoint: SourceEndpoint;
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
