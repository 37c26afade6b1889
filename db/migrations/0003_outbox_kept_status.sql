-- An e-mail that no transport delivered is `kept` in the outbox, not `sent`. The type is
-- rebuilt rather than extended with ADD VALUE: the migrations run in one transaction,
-- and a value added there could not be used by the UPDATE that relabels old rows.
ALTER TYPE "public"."outbox_status" RENAME TO "outbox_status_old";--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('queued', 'sending', 'sent', 'kept', 'failed');--> statement-breakpoint
ALTER TABLE "outbox_emails" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "outbox_emails" ALTER COLUMN "status" SET DATA TYPE "public"."outbox_status" USING (
  CASE WHEN "status"::text = 'sent' AND "provider_id" = 'outbox-only' THEN 'kept' ELSE "status"::text END
)::"public"."outbox_status";--> statement-breakpoint
ALTER TABLE "outbox_emails" ALTER COLUMN "status" SET DEFAULT 'queued';--> statement-breakpoint
UPDATE "outbox_emails" SET "provider_id" = NULL, "sent_at" = NULL WHERE "status" = 'kept';--> statement-breakpoint
DROP TYPE "public"."outbox_status_old";
