// Forwarding issues to an outbound integration (Snapsec VM): one link per issue (where its remote record is), and
// the outbox of issues whose record must be pushed, written in the same transaction (or statement) as the change.
import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { companies } from "./companies";
import { integrations } from "./integrations";
import { issues } from "./issues";

/**
 * forwarded: the remote record exists (and keeps syncing); filtered: never pushed, its severity is filtered out;
 * failed: the last push failed after its last attempt (lastError says why; Retry queues it again).
 */
export const forwardStates = ["pending", "forwarded", "filtered", "failed"] as const;
export type ForwardState = (typeof forwardStates)[number];
export const forwardStateEnum = pgEnum("forward_state", forwardStates);
/** What the Issues list's forwarding filter tells apart: never sent, held back by the severity filter, on its way, in the remote system, failed. */
export const forwardFilterStates = ["not_forwarded", "filtered", "pending", "forwarded", "failed"] as const;
export type ForwardFilterState = (typeof forwardFilterStates)[number];

export const forwardLinks = pgTable(
  "forward_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    integrationId: uuid("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    /** Postura's stable id for the issue in the remote system (upserts key on it). */
    externalId: text("external_id").notNull(),
    state: forwardStateEnum("state").notNull().default("pending"),
    assessmentId: text("assessment_id"),
    assessmentName: text("assessment_name"),
    /** The remote system's own id of the record. */
    remoteId: text("remote_id"),
    /** The remote status last sent (VM's words), so a status the mapping does not send is never re-sent. */
    sentStatus: text("sent_status"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    firstForwardedAt: timestamp("first_forwarded_at", { withTimezone: true }),
    lastForwardedAt: timestamp("last_forwarded_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One remote record per issue, enforced here: a retry or a crash can only update it.
    uniqueIndex("forward_links_integration_issue_uq").on(t.integrationId, t.issueId),
    uniqueIndex("forward_links_integration_external_uq").on(t.integrationId, t.externalId),
    index("forward_links_company_state_idx").on(t.companyId, t.state),
    // The Issues list's forwarding filter looks an issue's link up by the issue.
    index("forward_links_issue_idx").on(t.issueId, t.state),
  ],
);

/**
 * One row per issue awaiting a push, coalesced: a second change before the push bumps `generation`, and the job
 * deletes a row only at the generation it pushed, so a change during a push is never lost.
 */
export const forwardOutbox = pgTable(
  "forward_outbox",
  {
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    integrationId: uuid("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    generation: integer("generation").notNull().default(1),
    /** The last attempt's failure, while retries go on. */
    attempts: integer("attempts").notNull().default(0),
    notBefore: timestamp("not_before", { withTimezone: true }).notNull().default(sql`now()`),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.issueId] }), index("forward_outbox_integration_idx").on(t.integrationId, t.notBefore), index("forward_outbox_issue_idx").on(t.issueId)],
);
