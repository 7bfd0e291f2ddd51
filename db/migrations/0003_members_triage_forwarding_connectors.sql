CREATE TYPE "public"."confidence" AS ENUM('high', 'medium', 'low');--> statement-breakpoint
CREATE TYPE "public"."forward_state" AS ENUM('pending', 'forwarded', 'filtered', 'failed');--> statement-breakpoint
ALTER TYPE "public"."integration_kind" ADD VALUE 'snapsec_vm';--> statement-breakpoint
ALTER TYPE "public"."integration_kind" ADD VALUE 'tenable_io';--> statement-breakpoint
ALTER TYPE "public"."asset_type" ADD VALUE 'host';--> statement-breakpoint
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
CREATE TABLE "forward_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"state" "forward_state" DEFAULT 'pending' NOT NULL,
	"assessment_id" text,
	"assessment_name" text,
	"remote_id" text,
	"sent_status" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"first_forwarded_at" timestamp with time zone,
	"last_forwarded_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forward_outbox" (
	"company_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forward_outbox_integration_id_issue_id_pk" PRIMARY KEY("integration_id","issue_id")
);
--> statement-breakpoint
ALTER TABLE "integrations" ALTER COLUMN "settings" SET DEFAULT '{"statusMapping":{"identified":["Open"],"in_progress":["Inprocess"],"fixed":["Resolved"],"risk_accepted":["Ignored"],"false_positive":[]},"severityFilter":{"notification":true,"low":true,"medium":true,"high":true,"critical":true},"reconciliationIntervalHours":24,"customHeaders":"","applicationLabelPrefix":"app:"}'::jsonb;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "base_url" text;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "custom_headers_encrypted" text;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "forwarding" jsonb;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "days_since" integer;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "node_ref" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "hostname" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "fqdn" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "ipv4" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "operating_system" text;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "cves" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "cvss_score" real;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "vpr_score" real;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "port" integer;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "protocol" text;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "service" text;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "risk_accepted_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "owner_user_id" text;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "confidence" "confidence";--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "mitigation_notes" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "attack_vectors" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "status_history" ADD COLUMN "risk_accepted_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "status_write_backs" ADD COLUMN "send_after" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "export_ref" text;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issue_comments" ADD CONSTRAINT "issue_comments_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_comments" ADD CONSTRAINT "issue_comments_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_comments" ADD CONSTRAINT "issue_comments_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_links" ADD CONSTRAINT "forward_links_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_links" ADD CONSTRAINT "forward_links_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_links" ADD CONSTRAINT "forward_links_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_outbox" ADD CONSTRAINT "forward_outbox_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_outbox" ADD CONSTRAINT "forward_outbox_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_outbox" ADD CONSTRAINT "forward_outbox_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issue_comments_issue_idx" ON "issue_comments" USING btree ("company_id","issue_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "forward_links_integration_issue_uq" ON "forward_links" USING btree ("integration_id","issue_id");--> statement-breakpoint
CREATE UNIQUE INDEX "forward_links_integration_external_uq" ON "forward_links" USING btree ("integration_id","external_id");--> statement-breakpoint
CREATE INDEX "forward_links_company_state_idx" ON "forward_links" USING btree ("company_id","state");--> statement-breakpoint
CREATE INDEX "forward_outbox_integration_idx" ON "forward_outbox" USING btree ("integration_id","not_before");--> statement-breakpoint
ALTER TABLE "issues" ADD CONSTRAINT "issues_owner_user_id_user_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assets_company_node_idx" ON "assets" USING btree ("company_id","node_ref") WHERE "assets"."node_ref" is not null;--> statement-breakpoint
CREATE INDEX "issues_company_owner_idx" ON "issues" USING btree ("company_id","owner_user_id");--> statement-breakpoint
CREATE INDEX "issues_risk_accepted_until_idx" ON "issues" USING btree ("risk_accepted_until") WHERE "issues"."status" = 'risk_accepted';