// Companies (tenants) and who belongs to them with which role.
import { randomBytes } from "node:crypto";
import { index, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { roles, type Severity } from "./vocabulary";

/** The public company id is what a Salt Custom Webhook carries; random so it reveals nothing. */
export function newCompanyPublicId(): string {
  return `cmp_${randomBytes(12).toString("base64url")}`;
}

export const companies = pgTable("companies", {
  id: uuid("id").primaryKey().defaultRandom(),
  publicId: text("public_id").notNull().unique().$defaultFn(newCompanyPublicId),
  name: text("name").notNull(),
  /** Days an open issue of each severity may stay open (null: no SLA); unset severities take lib/sla.ts's defaults. */
  slaDays: jsonb("sla_days").$type<Partial<Record<Severity, number | null>>>(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const roleEnum = pgEnum("role", roles);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    /** Permissions an admin grants independently of role (server/api/permissions.ts says what each allows). */
    permissions: text("permissions").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("memberships_user_company_uq").on(t.userId, t.companyId), index("memberships_company_idx").on(t.companyId)],
);
