// Saved views: a member's named filter sets for the Issues list. A view keeps the list's own query string (its
// filter parameters, normalised by the server), so applying one is opening that URL, and it can be shared as one.
import { pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { companies } from "./companies";

export const savedIssueViews = pgTable(
  "saved_issue_views",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The Issues list's filter as its query string, without sort and page (e.g. `state=open&severity=critical`). */
    query: text("query").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // One name per member and company; the menu lists them by name from this index.
  (t) => [uniqueIndex("saved_issue_views_member_name_uq").on(t.companyId, t.userId, t.name)],
);
