ALTER TYPE "public"."sync_run_state" ADD VALUE 'partial' BEFORE 'failed';--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "skipped_records" jsonb;