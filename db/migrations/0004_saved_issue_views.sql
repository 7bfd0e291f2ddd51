CREATE TABLE "saved_issue_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "saved_issue_views" ADD CONSTRAINT "saved_issue_views_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_issue_views" ADD CONSTRAINT "saved_issue_views_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_issue_views_member_name_uq" ON "saved_issue_views" USING btree ("company_id","user_id","name");--> statement-breakpoint
CREATE INDEX "forward_links_issue_idx" ON "forward_links" USING btree ("issue_id","state");--> statement-breakpoint
CREATE INDEX "forward_outbox_issue_idx" ON "forward_outbox" USING btree ("issue_id");