CREATE TABLE "unhandled_aisensy_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"envelope_id" text NOT NULL,
	"topic" text NOT NULL,
	"reason" text NOT NULL,
	"conversation_id" uuid,
	"body" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "unhandled_aisensy_deliveries" ADD CONSTRAINT "unhandled_aisensy_deliveries_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "unhandled_aisensy_deliveries_envelope_uq" ON "unhandled_aisensy_deliveries" USING btree ("envelope_id");
