CREATE TABLE "rate_limit" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"count" integer NOT NULL,
	"last_request" bigint NOT NULL,
	CONSTRAINT "rate_limit_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "issue_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"user_id" text,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "integrations" ALTER COLUMN "settings" SET DEFAULT '{"statusMapping":{"identified":["Open"],"in_progress":["Inprocess"],"fixed":["Resolved"],"risk_accepted":["Ignored"],"false_positive":[]},"severityFilter":{"notification":true,"low":true,"medium":true,"high":true,"critical":true},"reconciliationIntervalHours":24,"customHeaders":"","applicationLabelPrefix":"app:"}'::jsonb;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "risk_accepted_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "owner_user_id" text;--> statement-breakpoint
ALTER TABLE "status_history" ADD COLUMN "risk_accepted_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "status_write_backs" ADD COLUMN "send_after" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "issue_comments" ADD CONSTRAINT "issue_comments_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_comments" ADD CONSTRAINT "issue_comments_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_comments" ADD CONSTRAINT "issue_comments_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issue_comments_issue_idx" ON "issue_comments" USING btree ("company_id","issue_id","created_at");--> statement-breakpoint
ALTER TABLE "issues" ADD CONSTRAINT "issues_owner_user_id_user_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issues_company_owner_idx" ON "issues" USING btree ("company_id","owner_user_id");--> statement-breakpoint
CREATE INDEX "issues_risk_accepted_until_idx" ON "issues" USING btree ("risk_accepted_until") WHERE "issues"."status" = 'risk_accepted';