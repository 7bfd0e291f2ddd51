// One row per connected (or being-connected) integration of a company.
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";
import { companies } from "./companies";
import { APPLICATION_LABEL_PREFIX_MAX, DEFAULT_APPLICATION_LABEL_PREFIX } from "../../lib/application-labels";
import type { ForwardingSettings } from "./forwarding-settings";
import { integrationKindEnum, issueStatuses, severities } from "./vocabulary";

export const integrationStates = ["draft", "connected", "removed"] as const;
export type IntegrationState = (typeof integrationStates)[number];
export const integrationStateEnum = pgEnum("integration_state", integrationStates);

export const saltStatuses = ["Open", "Inprocess", "Resolved", "Ignored"] as const;
export const saltRegions = ["us", "eu"] as const;
export type SaltRegion = (typeof saltRegions)[number];

/** Postura status → ordered Salt statuses. The first is written back; all are recognised inbound. */
export const statusMappingSchema = z
  .record(z.enum(issueStatuses), z.array(z.enum(saltStatuses)))
  .refine(
    (m) => {
      const all = Object.values(m).flat();
      return new Set(all).size === all.length;
    },
    { message: "A Salt status can sit in only one row of the status mapping." },
  );
export type StatusMapping = z.infer<typeof statusMappingSchema>;

export const defaultStatusMapping: StatusMapping = {
  identified: ["Open"],
  in_progress: ["Inprocess"],
  fixed: ["Resolved"],
  risk_accepted: ["Ignored"],
  false_positive: [],
};

export const severityFilterSchema = z.record(z.enum(severities), z.boolean());
export type SeverityFilter = z.infer<typeof severityFilterSchema>;
export const defaultSeverityFilter: SeverityFilter = {
  notification: true,
  low: true,
  medium: true,
  high: true,
  critical: true,
};

export const integrationSettingsSchema = z.object({
  statusMapping: statusMappingSchema,
  severityFilter: severityFilterSchema,
  /** Scheduled full sync that catches changes no webhook announced. 0 turns it off. */
  reconciliationIntervalHours: z.number().int().min(0).max(24 * 30),
  /** Extra headers sent to the integration's API, as "key: value" lines. */
  customHeaders: z.string().max(4000),
  /** Labels starting with this become applications (lib/application-labels.ts); absent on older rows: "app:". */
  applicationLabelPrefix: z.string().max(APPLICATION_LABEL_PREFIX_MAX).optional(),
});
export type IntegrationSettings = z.infer<typeof integrationSettingsSchema>;
export const defaultIntegrationSettings: IntegrationSettings = {
  statusMapping: defaultStatusMapping,
  severityFilter: defaultSeverityFilter,
  reconciliationIntervalHours: 24,
  customHeaders: "",
  applicationLabelPrefix: DEFAULT_APPLICATION_LABEL_PREFIX,
};

/** Domains where a reconciliation found changes that no accepted webhook had announced. */
export type WebhookWarning = {
  detectedAt: string;
  domains: { domain: string; detectedAt: string; changes: number; since: string | null }[];
};

export const integrations = pgTable(
  "integrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    kind: integrationKindEnum("kind").notNull(),
    state: integrationStateEnum("state").notNull().default("draft"),
    /** The wizard step a draft resumes at. */
    wizardStep: text("wizard_step").notNull().default("credentials"),
    region: text("region").$type<SaltRegion>(),
    /** Where the integration's API lives when it is not a fixed region: Snapsec VM's workspace URL, Tenable.io's base URL. */
    baseUrl: text("base_url"),
    /** Custom headers ("key: value" lines) as an AES-256-GCM envelope: values are secrets (gateway tokens). */
    customHeadersEncrypted: text("custom_headers_encrypted"),
    /** Where and what an outbound integration forwards (Snapsec VM, see ./forwarding.ts); null for inbound ones. */
    forwarding: jsonb("forwarding").$type<ForwardingSettings>(),
    /** Connectors (Tenable.io): how many days back an import reads (null = unlimited). */
    daysSince: integer("days_since"),
    /** AES-256-GCM envelope (see server/security/secrets.ts); never returned to a browser. */
    credentialsEncrypted: text("credentials_encrypted"),
    canWriteBack: boolean("can_write_back").notNull().default(false),
    settings: jsonb("settings").$type<IntegrationSettings>().notNull().default(defaultIntegrationSettings),
    webhookTokenHash: text("webhook_token_hash"),
    webhookTokenEncrypted: text("webhook_token_encrypted"),
    previousWebhookTokenHash: text("previous_webhook_token_hash"),
    previousWebhookTokenExpiresAt: timestamp("previous_webhook_token_expires_at", { withTimezone: true }),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    lastCheckError: text("last_check_error"),
    /** Evidence that Salt changes arrive without webhooks (set by reconciliation, see server/sync/reconciliation.ts). */
    webhookWarning: jsonb("webhook_warning").$type<WebhookWarning | null>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp("removed_at", { withTimezone: true }),
  },
  (t) => [
    // At most one live integration of a kind per company; removed ones stay for history.
    uniqueIndex("integrations_company_kind_live_uq").on(t.companyId, t.kind).where(sql`${t.state} <> 'removed'`),
    index("integrations_webhook_token_idx").on(t.webhookTokenHash),
  ],
);
