// Issues (vulnerabilities / posture gaps) on assets, and the history of their status.
import { sql } from "drizzle-orm";
import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { assets, tsvector } from "./assets";
import { companies } from "./companies";
import { integrations } from "./integrations";
import { confidenceEnum, integrationKindEnum, issueStatusEnum, severityEnum, statusOriginEnum } from "./vocabulary";

export const issues = pgTable(
  "issues",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    /** The FQDN the asset sits under, denormalised so domain-level lists need no join. */
    domainAssetId: uuid("domain_asset_id").references(() => assets.id, { onDelete: "cascade" }),
    source: integrationKindEnum("source"),
    integrationId: uuid("integration_id").references(() => integrations.id, { onDelete: "set null" }),
    /** The finding's id at its source (Salt's postureGapId). */
    externalId: text("external_id"),
    title: text("title").notNull(),
    severity: severityEnum("severity").notNull(),
    status: issueStatusEnum("status").notNull().default("identified"),
    category: text("category"),
    categories: text("categories").array().notNull().default([]),
    cwe: text("cwe"),
    /** A vulnerability scanner's fields (Tenable.io): CVEs, CVSS 3 base score, VPR, and where the service listens. */
    cves: text("cves").array().notNull().default([]),
    cvssScore: real("cvss_score"),
    vprScore: real("vpr_score"),
    /** 0 for host-level findings. */
    port: integer("port"),
    protocol: text("protocol"),
    service: text("service"),
    /** The status the source last reported, in its own words (e.g. "Inprocess"). */
    externalStatus: text("external_status"),
    /** Source-specific details shown on the issue page. */
    details: jsonb("details").$type<Record<string, unknown>>(),
    detectedAt: timestamp("detected_at", { withTimezone: true }),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }).notNull().defaultNow(),
    statusOrigin: statusOriginEnum("status_origin").notNull().default("sync"),
    statusChangedBy: text("status_changed_by").references(() => user.id, { onDelete: "set null" }),
    closedReason: text("closed_reason"),
    /** Until when a Risk Accepted decision holds; the expiry job returns the issue to Identified after it. */
    riskAcceptedUntil: timestamp("risk_accepted_until", { withTimezone: true }),
    /** The member responsible for the issue (also what forwarding to Snapsec VM sends as "owner"). */
    ownerUserId: text("owner_user_id").references(() => user.id, { onDelete: "set null" }),
    /** Threat model (edited on the issue page; forwarded to Snapsec VM). Null confidence: not assessed. */
    confidence: confidenceEnum("confidence"),
    mitigationNotes: text("mitigation_notes").notNull().default(""),
    attackVectors: text("attack_vectors").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** Title, category and CWE as words, for the Issues list's prefix search. */
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      sql`to_tsvector('simple', regexp_replace(title || ' ' || coalesce(category, '') || ' ' || coalesce(cwe, ''), '[^[:alnum:]]+', ' ', 'g'))`,
    ),
  },
  (t) => [
    uniqueIndex("issues_company_source_external_uq").on(t.companyId, t.source, t.externalId),
    index("issues_company_created_idx").on(t.companyId, t.createdAt.desc(), t.id),
    index("issues_company_severity_idx").on(t.companyId, t.severity, t.status),
    index("issues_asset_idx").on(t.assetId, t.status),
    index("issues_domain_idx").on(t.domainAssetId, t.status),
    // The Issues list's sorts (each read forwards or backwards): severity then age, age, last activity.
    index("issues_company_severity_detected_idx").on(t.companyId, t.severity, t.detectedAt, t.id),
    index("issues_company_detected_idx").on(t.companyId, t.detectedAt, t.id),
    index("issues_company_activity_idx").on(t.companyId, t.lastActivityAt, t.id),
    // The category filter's options, read as a loose index scan (one probe per distinct category).
    index("issues_company_category_idx").on(t.companyId, t.category),
    // Status filters (open work above all) and their counts read one range of this index.
    index("issues_company_status_idx").on(t.companyId, t.status, t.severity, t.detectedAt, t.id),
    index("issues_search_idx").using("gin", t.searchVector),
    // "Assigned to me" and the owner filter.
    index("issues_company_owner_idx").on(t.companyId, t.ownerUserId),
    // The expiry job reads only acceptances that carry an end date.
    index("issues_risk_accepted_until_idx").on(t.riskAcceptedUntil).where(sql`${t.status} = 'risk_accepted'`),
  ],
);

export const statusHistory = pgTable(
  "status_history",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    fromStatus: issueStatusEnum("from_status"),
    toStatus: issueStatusEnum("to_status").notNull(),
    origin: statusOriginEnum("origin").notNull(),
    userId: text("user_id").references(() => user.id, { onDelete: "set null" }),
    /** The reason a person gave (required for Fixed, Risk Accepted and False Positive), or a system note. */
    note: text("note"),
    /** For a change to Risk Accepted: until when the acceptance holds. */
    riskAcceptedUntil: timestamp("risk_accepted_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("status_history_issue_idx").on(t.issueId, t.createdAt),
    // The Overview's weekly trend reads one company's rows of the last weeks from this index alone.
    index("status_history_company_created_idx").on(t.companyId, t.createdAt, t.fromStatus, t.toStatus, t.issueId),
  ],
);

/**
 * The Overview's weekly trend and mean time to fix, per (company, UTC week starting Monday, severity), kept by
 * statement-level triggers on status_history (migration 0007), so every writer — sync, import, a person's change,
 * bulk, expiry, undo — keeps it current in its own statement. The rules:
 * - a history row counts in the week of its created_at and in the severity its issue has when the row is written
 *   (mean time to fix groups by severity at fix time);
 * - a fix is a change into Fixed from another status; `fixedCount` counts each issue once per week (the statement
 *   that writes an issue's first fix of a week counts it), `fixCount` and `fixSeconds` count every fix, each
 *   measured from when the issue was first recorded or last reopened (the issue's creation when no such row exists);
 * - a deleted open issue (with its asset) leaves the open count in the week it is deleted; the weeks its history
 *   rows were counted in keep them (what happened then stays history, and an asset's issues are deleted one
 *   cascade statement per issue, too many to recompute weeks for).
 */
export const issueWeekRollup = pgTable(
  "issue_week_rollup",
  {
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    weekStart: timestamp("week_start", { withTimezone: true }).notNull(),
    severity: severityEnum("severity").notNull(),
    /** Issues first recorded in an open status. */
    newCount: integer("new_count").notNull().default(0),
    /** Issues moved to Fixed, each once a week. */
    fixedCount: integer("fixed_count").notNull().default(0),
    /** Changes into an open status less changes out of one. */
    openDelta: integer("open_delta").notNull().default(0),
    fixCount: integer("fix_count").notNull().default(0),
    fixSeconds: doublePrecision("fix_seconds").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.weekStart, t.severity] })],
);

/** Open issues per (company, severity) now, kept by statement-level triggers on issues (migration 0007). */
export const issueOpenCounts = pgTable(
  "issue_open_counts",
  {
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    severity: severityEnum("severity").notNull(),
    openCount: integer("open_count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.severity] })],
);

/** A comment thread per issue: who, when, Markdown text (rendered without raw HTML). */
export const issueComments = pgTable(
  "issue_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => user.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("issue_comments_issue_idx").on(t.companyId, t.issueId, t.createdAt)],
);
