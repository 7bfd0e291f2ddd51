// How many webhook deliveries an integration has refused in all. Only the newest few refused deliveries are
// kept as rows (server/webhooks/rejections.ts), so unauthenticated traffic cannot grow the database; this
// counter keeps the total.
import { integer, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { companies } from "./companies";
import { integrations } from "./integrations";

export const webhookRejectionTallies = pgTable("webhook_rejection_tallies", {
  integrationId: uuid("integration_id")
    .primaryKey()
    .references(() => integrations.id, { onDelete: "cascade" }),
  companyId: uuid("company_id")
    .notNull()
    .references(() => companies.id, { onDelete: "cascade" }),
  rejectedTotal: integer("rejected_total").notNull().default(0),
  lastRejectedAt: timestamp("last_rejected_at", { withTimezone: true }).notNull().defaultNow(),
});
