-- Ticket deletion (SPEC §12) in the erasure ledger (SPEC §10): a ticket deleted on its own,
-- not with its customer, leaves one ledger row of action 'delete_ticket' with the ticket's
-- id and no subject, so that `npm run erasures:replay` deletes it again when a backup
-- brings it back. Its hash is the keyed hash (PSEUDONYM_KEY) of the ticket's id, number and
-- creation time (lib/privacy/ledger/tickets.ts): a ticket made later under a reused id is
-- not mistaken for it. A person's rows keep their subject and have no ticket.
ALTER TABLE "erasure_ledger" ALTER COLUMN "subject_person_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "erasure_ledger" ADD COLUMN "ticket_id" integer;--> statement-breakpoint
ALTER TABLE "erasure_ledger" DROP CONSTRAINT "erasure_ledger_action_check";--> statement-breakpoint
ALTER TABLE "erasure_ledger" ADD CONSTRAINT "erasure_ledger_action_check" CHECK ("action" IN ('anonymise', 'delete', 'delete_ticket'));--> statement-breakpoint
ALTER TABLE "erasure_ledger" ADD CONSTRAINT "erasure_ledger_record_check" CHECK (
  CASE WHEN "action" = 'delete_ticket' THEN "ticket_id" IS NOT NULL AND "subject_person_id" IS NULL
       ELSE "subject_person_id" IS NOT NULL AND "ticket_id" IS NULL END);
