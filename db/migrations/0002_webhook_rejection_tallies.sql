CREATE TABLE "webhook_rejection_tallies" (
	"integration_id" uuid PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"rejected_total" integer DEFAULT 0 NOT NULL,
	"last_rejected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_rejection_tallies" ADD CONSTRAINT "webhook_rejection_tallies_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_rejection_tallies" ADD CONSTRAINT "webhook_rejection_tallies_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;