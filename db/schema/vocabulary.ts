// Postura's own words for findings: statuses, severities, origins. Integrations map their words onto these.
import { pgEnum } from "drizzle-orm/pg-core";

export const issueStatuses = ["identified", "in_progress", "fixed", "risk_accepted", "false_positive"] as const;
export type IssueStatus = (typeof issueStatuses)[number];
export const issueStatusEnum = pgEnum("issue_status", issueStatuses);
export const issueStatusLabels: Record<IssueStatus, string> = {
  identified: "Identified",
  in_progress: "In Progress",
  fixed: "Fixed",
  risk_accepted: "Risk Accepted",
  false_positive: "False Positive",
};
/** Statuses that count as open work for risk scores and "open vulnerabilities". */
export const openIssueStatuses = ["identified", "in_progress"] as const satisfies readonly IssueStatus[];
/** The rest: work that is done, one way or another (what the Issues list's "Closed" shows). */
export const closedIssueStatuses = ["fixed", "risk_accepted", "false_positive"] as const satisfies readonly IssueStatus[];
/** The Issues lists' Open / Closed / All switch. */
export const issueStates = ["open", "closed", "all"] as const;
export type IssueState = (typeof issueStates)[number];
export const issueStateStatuses: Record<IssueState, readonly IssueStatus[]> = { open: openIssueStatuses, closed: closedIssueStatuses, all: issueStatuses };
export function isOpenStatus(status: IssueStatus): boolean {
  return (openIssueStatuses as readonly IssueStatus[]).includes(status);
}

export const severities = ["notification", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof severities)[number];
export const severityEnum = pgEnum("severity", severities);
export const severityLabels: Record<Severity, string> = {
  notification: "Notification",
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

export const statusOrigins = ["user", "sync", "webhook", "reconciliation", "system"] as const;
export type StatusOrigin = (typeof statusOrigins)[number];
export const statusOriginEnum = pgEnum("status_origin", statusOrigins);

export const businessImpacts = ["low", "medium", "high"] as const;
export type BusinessImpact = (typeof businessImpacts)[number];
export const businessImpactEnum = pgEnum("business_impact", businessImpacts);

/** salt_security and tenable_io import findings; snapsec_vm receives them (issues are forwarded to it, see server/forwarding/). */
export const integrationKinds = ["salt_security", "snapsec_vm", "tenable_io"] as const;
export type IntegrationKind = (typeof integrationKinds)[number];
export const integrationKindEnum = pgEnum("integration_kind", integrationKinds);

/** A member's role in a company (server/api/permissions.ts says what each may do). */
export const roles = ["admin", "analyst", "viewer"] as const;
export type Role = (typeof roles)[number];

/** How sure the finding is (forwarded to Snapsec VM as its confidence). */
export const confidences = ["high", "medium", "low"] as const;
export type Confidence = (typeof confidences)[number];
export const confidenceEnum = pgEnum("confidence", confidences);
export const confidenceLabels: Record<Confidence, string> = { high: "High", medium: "Medium", low: "Low" };
