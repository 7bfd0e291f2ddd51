// Salt → Postura: severities, statuses (through the integration's status mapping), endpoints and posture gaps
// turned into the sync engine's source shapes. The only place outside the client that reads Salt's field names.
import type { IssueStatus, Severity, StatusMapping } from "@/db/schema";
import type { SourceEndpoint, SourceFinding } from "@/server/sync/types";
import type { PostureGap, SaltEndpoint, SaltSeverity } from "./schemas";

export const SALT_DISPLAY_NAME = "Salt Security";

export const severityFromSalt: Record<SaltSeverity, Severity> = {
  Info: "notification",
  Low: "low",
  Medium: "medium",
  High: "high",
  Critical: "critical",
};

/**
 * Inbound status mapping: the Postura status whose row holds the Salt status. Every chip in a row is recognised
 * (only the first one matters for write-back). Null when no row holds it: the caller counts it as unmapped.
 */
export function statusFromSalt(saltStatus: string, statusMapping: StatusMapping): IssueStatus | null {
  for (const [postura, saltStatuses] of Object.entries(statusMapping) as [IssueStatus, string[] | undefined][]) {
    if (saltStatuses?.includes(saltStatus)) return postura;
  }
  return null;
}

/** The API asset's stable key: one per host + method + path (Salt's endpoint identity). */
export function endpointRef(host: string, method: string, path: string): string {
  return `${host} ${method.toUpperCase()} ${path}`;
}

function sortedUnique(labels: readonly string[]): string[] {
  return [...new Set(labels.map((l) => l.trim()).filter((l) => l !== ""))].sort();
}

function toDate(value: string | null): Date | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

export function endpointFromSalt(endpoint: SaltEndpoint): SourceEndpoint {
  const method = endpoint.method.toUpperCase();
  return {
    ref: endpointRef(endpoint.host, method, endpoint.endpointPath),
    name: `${method} ${endpoint.endpointPath}`,
    method,
    path: endpoint.endpointPath,
    labels: sortedUnique(endpoint.labels),
  };
}

export function findingFromPostureGap(gap: PostureGap, statusMapping: StatusMapping): SourceFinding {
  const method = gap.method.toUpperCase();
  const endpoint: SourceEndpoint = {
    ref: endpointRef(gap.host, method, gap.endpointPath),
    name: `${method} ${gap.endpointPath}`,
    method,
    path: gap.endpointPath,
    labels: sortedUnique(gap.endpointLabels),
  };
  return {
    externalId: gap.postureGapId,
    title: gap.postureGapName,
    severity: severityFromSalt[gap.severity],
    externalStatus: gap.status,
    mappedStatus: statusFromSalt(gap.status, statusMapping),
    categories: [...gap.categories],
    cwe: gap.cweId,
    detectedAt: toDate(gap.detected),
    lastActivityAt: toDate(gap.lastActivity),
    endpoint,
    details: {
      tickets: gap.tickets.map((t) => ({ id: t.ticketId ?? null, system: t.system ?? null, url: t.url ?? null })),
      endpointLabels: endpoint.labels,
    },
  };
}
