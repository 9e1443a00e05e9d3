ALTER TABLE "outbox" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "leased_by" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "submitted_message_id" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "messages_awaiting_wamid_idx" ON "messages" USING btree ("conversation_id","sent_at") WHERE "messages"."submitted_message_id" is not null and "messages"."provider_message_id" is null;
