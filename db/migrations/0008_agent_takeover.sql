ALTER TABLE "conversations" ADD COLUMN "agent_active_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "needs_agent_since" timestamp with time zone;--> statement-breakpoint
CREATE TABLE "conversation_notes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation_notes" ADD CONSTRAINT "conversation_notes_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_notes" ADD CONSTRAINT "conversation_notes_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_notes_conversation_idx" ON "conversation_notes" USING btree ("conversation_id","id");--> statement-breakpoint
CREATE INDEX "conversations_held_idx" ON "conversations" USING btree ("agent_active_at") WHERE "conversations"."owner" = 'agent';--> statement-breakpoint
CREATE INDEX "events_console_idx" ON "events" USING btree ("conversation_id","id") WHERE "events"."type" in ('lookup.found', 'agent.joined', 'agent.assigned', 'agent.released');--> statement-breakpoint
CREATE INDEX "orders_conversation_idx" ON "orders" USING btree ("conversation_id","created_at");--> statement-breakpoint
-- When a conversation started waiting for a person, whichever of the many writers of needs_agent set it:
-- kept by the database, so the queue's wait times cannot drift from the reason they belong to.
CREATE FUNCTION "conversations_needs_agent_since"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.needs_agent IS NULL THEN
		NEW.needs_agent_since := NULL;
	ELSIF TG_OP = 'INSERT' OR OLD.needs_agent IS NULL THEN
		NEW.needs_agent_since := now();
	END IF;
	RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "conversations_needs_agent_since" BEFORE INSERT OR UPDATE OF "needs_agent" ON "conversations" FOR EACH ROW EXECUTE FUNCTION "conversations_needs_agent_since"();--> statement-breakpoint
UPDATE "conversations" SET "needs_agent_since" = "updated_at" WHERE "needs_agent" IS NOT NULL;--> statement-breakpoint
-- Chats an agent's AiSensy echo muted before hand-backs existed: held from now, as an event, so the idle
-- timer hands them back like any other hold.
UPDATE "conversations" SET "agent_active_at" = now() WHERE "owner" = 'agent';--> statement-breakpoint
INSERT INTO "events" ("conversation_id", "dedupe_key", "type", "payload")
SELECT "id", 'agent:' || "id" || ':joined:before-0009', 'agent.joined',
       jsonb_build_object('type', 'agent.joined', 'at', now(), 'v', 2)
FROM "conversations" WHERE "owner" = 'agent';
