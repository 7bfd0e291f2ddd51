// FQDN (domain) assets and the API (endpoint) assets under them, hosts a vulnerability scanner reports, plus
// applications and tags.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { companies } from "./companies";
import { integrations } from "./integrations";
import { businessImpactEnum, integrationKindEnum, type Severity } from "./vocabulary";

/** host: a machine a vulnerability scanner (Tenable.io) reports that is not an FQDN asset already. */
export const assetTypes = ["domain", "api", "host"] as const;
export type AssetType = (typeof assetTypes)[number];
export const assetTypeEnum = pgEnum("asset_type", assetTypes);

/** What a risk score was computed from, kept so the UI can explain the number. */
export type RiskInputs = {
  openBySeverity: Record<Severity, number>;
  businessImpact: "low" | "medium" | "high";
  base: number;
  multiplier: number;
};

/** PostgreSQL full-text vector; the lists search it through a GIN index (pg_trgm is not available on PGlite). */
export const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const assets = pgTable(
  "assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    assetType: assetTypeEnum("asset_type").notNull(),
    /** Host name for a domain; "METHOD /path" for an API; fqdn, host name or IPv4 for a host. */
    name: text("name").notNull(),
    parentId: uuid("parent_id").references((): AnyPgColumn => assets.id, { onDelete: "cascade" }),
    /** The integration kind that discovered it; null for assets created by hand. */
    source: integrationKindEnum("source"),
    integrationId: uuid("integration_id").references(() => integrations.id, { onDelete: "set null" }),
    /** Stable key at the source: the host for a domain, "host METHOD path" for an API, the scanner's node for a host. */
    externalRef: text("external_ref").notNull(),
    /**
     * The vulnerability scanner's node (Tenable's first asset uuid for the machine) this asset stands for: a host
     * asset's, or an FQDN asset's when the scanner reports a machine by that FQDN (both vendors' findings meet there).
     */
    nodeRef: text("node_ref"),
    /** What the scanner reports about the machine (hosts, and FQDN assets a scanner matched). */
    hostname: text("hostname"),
    fqdn: text("fqdn"),
    ipv4: text("ipv4"),
    operatingSystem: text("operating_system"),
    method: text("method"),
    path: text("path"),
    labels: text("labels").array().notNull().default(sql`'{}'::text[]`),
    businessImpact: businessImpactEnum("business_impact").notNull().default("medium"),
    riskScore: integer("risk_score").notNull().default(0),
    riskInputs: jsonb("risk_inputs").$type<RiskInputs>(),
    openIssueCount: integer("open_issue_count").notNull().default(0),
    /** False once the source stops reporting it; never deleted. */
    active: boolean("active").notNull().default(true),
    /** For a domain: whether the integration still syncs it (false after it is removed from the integration). */
    syncEnabled: boolean("sync_enabled").notNull().default(true),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** The name's words ("GET /v2/users/{userId}" → get, v2, users, userid) for prefix search. */
    searchVector: tsvector("search_vector").generatedAlwaysAs(sql`to_tsvector('simple', regexp_replace(name, '[^[:alnum:]]+', ' ', 'g'))`),
  },
  (t) => [
    uniqueIndex("assets_company_type_ref_uq").on(t.companyId, t.assetType, t.externalRef),
    index("assets_company_type_risk_idx").on(t.companyId, t.assetType, t.riskScore.desc(), t.id),
    index("assets_company_type_name_idx").on(t.companyId, t.assetType, t.name, t.id),
    index("assets_parent_idx").on(t.parentId, t.riskScore.desc(), t.id),
    // The asset lists' "open vulnerabilities" sort.
    index("assets_company_type_open_idx").on(t.companyId, t.assetType, t.openIssueCount.desc(), t.id),
    index("assets_search_idx").using("gin", t.searchVector),
    index("assets_company_node_idx").on(t.companyId, t.nodeRef).where(sql`${t.nodeRef} is not null`),
  ],
);

export const applications = pgTable(
  "applications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("applications_company_name_uq").on(t.companyId, t.name)],
);

export const assetApplications = pgTable(
  "asset_applications",
  {
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.assetId, t.applicationId] }), index("asset_applications_app_idx").on(t.applicationId)],
);

export const assetTags = pgTable(
  "asset_tags",
  {
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.assetId, t.tag] }), index("asset_tags_company_tag_idx").on(t.companyId, t.tag)],
);
