ALTER TABLE "assets" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', regexp_replace(name, '[^[:alnum:]]+', ' ', 'g'))) STORED;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', regexp_replace(title || ' ' || coalesce(category, '') || ' ' || coalesce(cwe, ''), '[^[:alnum:]]+', ' ', 'g'))) STORED;--> statement-breakpoint
CREATE INDEX "assets_company_type_open_idx" ON "assets" USING btree ("company_id","asset_type","open_issue_count" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "assets_search_idx" ON "assets" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "issues_company_severity_detected_idx" ON "issues" USING btree ("company_id","severity","detected_at","id");--> statement-breakpoint
CREATE INDEX "issues_company_detected_idx" ON "issues" USING btree ("company_id","detected_at","id");--> statement-breakpoint
CREATE INDEX "issues_company_activity_idx" ON "issues" USING btree ("company_id","last_activity_at","id");--> statement-breakpoint
CREATE INDEX "issues_company_category_idx" ON "issues" USING btree ("company_id","category");--> statement-breakpoint
CREATE INDEX "issues_company_status_idx" ON "issues" USING btree ("company_id","status","severity","detected_at","id");--> statement-breakpoint
CREATE INDEX "issues_search_idx" ON "issues" USING gin ("search_vector");