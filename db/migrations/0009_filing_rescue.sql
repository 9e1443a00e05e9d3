ALTER TABLE "filings" ADD COLUMN "captcha_png_base64" text;--> statement-breakpoint
CREATE TABLE "filing_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"filing_id" uuid NOT NULL,
	"wait" integer NOT NULL,
	"action" text NOT NULL,
	"agent_id" uuid NOT NULL,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "filing_actions" ADD CONSTRAINT "filing_actions_filing_id_filings_id_fk" FOREIGN KEY ("filing_id") REFERENCES "public"."filings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filing_actions" ADD CONSTRAINT "filing_actions_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "filing_actions_wait_uq" ON "filing_actions" USING btree ("filing_id","wait");
