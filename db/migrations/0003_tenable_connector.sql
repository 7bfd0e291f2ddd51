ALTER TYPE "public"."integration_kind" ADD VALUE 'tenable_io';--> statement-breakpoint
ALTER TYPE "public"."asset_type" ADD VALUE 'host';--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "base_url" text;--> statement-breakpoint
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
ALTER TABLE "sync_runs" ADD COLUMN "export_ref" text;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "assets_company_node_idx" ON "assets" USING btree ("company_id","node_ref") WHERE "assets"."node_ref" is not null;