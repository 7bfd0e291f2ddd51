// Records of integration work: sync runs, webhook deliveries, and the outbox of status write-backs.
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { companies } from "./companies";
import { integrations } from "./integrations";
import { issues, statusHistory } from "./issues";
import { issueStatusEnum } from "./vocabulary";

export const syncTriggers = ["first_sync", "manual", "webhook", "reconciliation"] as const;
export type SyncTrigger = (typeof syncTriggers)[number];
export const syncTriggerEnum = pgEnum("sync_trigger", syncTriggers);

/** partial: the run finished, but some records could not be taken; they are named in skipped_records. */
export const syncRunStates = ["queued", "running", "succeeded", "partial", "failed"] as const;
export type SyncRunState = (typeof syncRunStates)[number];
export const syncRunStateEnum = pgEnum("sync_run_state", syncRunStates);

export type SyncCounts = {
  assetsCreated: number;
  assetsUpdated: number;
  assetsDeactivated: number;
  issuesCreated: number;
  issuesUpdated: number;
  issuesClosed: number;
  issuesReopened: number;
  issuesUnchanged: number;
  /** New findings not imported because no status-mapping row holds their source status. */
  issuesUnmapped: number;
  issuesFiltered: number;
  /** Records the source sent that could not be taken (malformed, or refused by the database); named in the run. */
  recordsSkipped?: number;
};

/** A record a run could not take: which one (as the source names it) and why. */
export type SkippedRecord = { kind: "endpoint" | "finding"; id: string | null; reason: string };

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    integrationId: uuid("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    trigger: syncTriggerEnum("trigger").notNull(),
    domain: text("domain").notNull(),
    state: syncRunStateEnum("state").notNull().default("queued"),
    counts: jsonb("counts").$type<SyncCounts>(),
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    /** The first skipped records of a partial run (bounded); counts.recordsSkipped has the total. */
    skippedRecords: jsonb("skipped_records").$type<SkippedRecord[]>(),
    /** A connector import's export at the vendor (Tenable's export uuid), once started or resumed. */
    exportRef: text("export_ref"),
    /** Set when a member cancels a connector import; the worker stops after the chunk in hand. */
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true }),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("sync_runs_integration_idx").on(t.integrationId, t.queuedAt.desc()),
    index("sync_runs_company_domain_idx").on(t.companyId, t.domain, t.queuedAt.desc()),
  ],
);

export const webhookOutcomes = ["accepted", "ignored", "rejected"] as const;
export const webhookOutcomeEnum = pgEnum("webhook_outcome", webhookOutcomes);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "cascade" }),
    integrationId: uuid("integration_id").references(() => integrations.id, { onDelete: "cascade" }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    domain: text("domain"),
    event: text("event"),
    outcome: webhookOutcomeEnum("outcome").notNull(),
    httpStatus: integer("http_status").notNull(),
    reason: text("reason"),
  },
  (t) => [index("webhook_deliveries_integration_idx").on(t.integrationId, t.receivedAt.desc())],
);

export const writeBackStates = ["pending", "done", "skipped", "failed"] as const;
export type WriteBackState = (typeof writeBackStates)[number];
export const writeBackStateEnum = pgEnum("write_back_state", writeBackStates);

/** Outbox: a row per user status change that the source must learn; written in the change's transaction. */
export const statusWriteBacks = pgTable(
  "status_write_backs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    integrationId: uuid("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    statusHistoryId: uuid("status_history_id").references(() => statusHistory.id, { onDelete: "set null" }),
    toStatus: issueStatusEnum("to_status").notNull(),
    /** The source status that was (or will be) sent; null when the mapping row is empty. */
    externalStatus: text("external_status"),
    state: writeBackStateEnum("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** Not sent before this time: a person's change can be undone until then (STATUS_UNDO_SECONDS). */
    sendAfter: timestamp("send_after", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("status_write_backs_issue_idx").on(t.issueId, t.createdAt.desc()), index("status_write_backs_state_idx").on(t.state)],
);
