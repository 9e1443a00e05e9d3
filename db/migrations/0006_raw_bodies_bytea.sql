ALTER TABLE "payment_notifications" ALTER COLUMN "raw_body" SET DATA TYPE bytea USING convert_to("raw_body", 'UTF8');
