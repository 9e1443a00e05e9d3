ALTER TABLE "payment_notifications" ADD COLUMN "checks" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_notifications" ADD COLUMN "checked_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "payment_notifications_pending_idx" ON "payment_notifications" USING btree ("provider","checked_at") WHERE "payment_notifications"."outcome" = 'pending';
