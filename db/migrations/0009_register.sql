-- The register of processing (GDPR Art. 30, SPEC §13): one entry per record type Lethe
-- holds on people. The rows are created here, with neutral English wording that is true
-- of every installation, so that a fresh install without demo data has a register to
-- fill in and the access export always has an Art. 15(1) answer for each record type:
-- the register page edits entries, it never creates or deletes them. The demo seed
-- rewrites the entries nobody has edited yet, in the organisation's language.
CREATE TYPE "public"."register_record_type" AS ENUM('people', 'tickets', 'enrolments', 'waiting_lists', 'loans', 'invoices', 'family_links', 'outbox');--> statement-breakpoint
CREATE TABLE "register_entries" (
	"record_type" "register_record_type" PRIMARY KEY NOT NULL,
	"purposes" text NOT NULL,
	"categories" text NOT NULL,
	"legal_basis" text NOT NULL,
	"recipients" text NOT NULL,
	"source" text NOT NULL,
	"retention" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_account_id" integer
);
--> statement-breakpoint
ALTER TABLE "register_entries" ADD CONSTRAINT "register_entries_updated_by_account_id_accounts_id_fk" FOREIGN KEY ("updated_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
INSERT INTO "register_entries" ("record_type", "purposes", "categories", "legal_basis", "recipients", "source", "retention") VALUES
  ('people', 'Managing the people the organisation has a relationship with: contact, administration of the contract or membership.', 'Name, contact details, date of birth, customer number, own fields, status.', 'Art. 6(1)(b) GDPR (contract); Art. 6(1)(f) GDPR (legitimate interests).', 'Staff of the organisation who need the data; processors (hosting).', 'The person themselves, or their legal representative.', 'Until the relationship ends, then until the anonymisation settings apply.'),
  ('tickets', 'Answering requests and keeping a record of the correspondence.', 'Requests, messages, e-mail addresses and phone numbers in them, IP addresses of web forms.', 'Art. 6(1)(b) GDPR (contract); Art. 6(1)(f) GDPR (legitimate interests).', 'Staff of the organisation who answer requests; processors (hosting, e-mail).', 'The person themselves; people who write to the organisation about them.', 'As set by the retention rules; otherwise until the person is anonymised.'),
  ('enrolments', 'Organising courses and lessons the person takes part in.', 'Courses, teaching periods, whether the enrolment is active.', 'Art. 6(1)(b) GDPR (contract).', 'Staff and teachers of the organisation.', 'The person themselves, or their legal representative.', 'Until the end of the contract, then until the anonymisation settings apply.'),
  ('waiting_lists', 'Offering a place in a course when one becomes free.', 'Course asked for, date of the request.', 'Art. 6(1)(b) GDPR (steps at the request of the person before a contract).', 'Staff of the organisation.', 'The person themselves, or their legal representative.', 'Until a place is offered or the request is withdrawn.'),
  ('loans', 'Lending and hiring out items and getting them back.', 'Item, dates lent, due and returned.', 'Art. 6(1)(b) GDPR (contract).', 'Staff of the organisation.', 'The organisation''s own records.', 'Until the item is returned and the contract is settled.'),
  ('invoices', 'Billing and bookkeeping.', 'Invoice number, amounts, dates of issue and payment.', 'Art. 6(1)(b) GDPR (contract); Art. 6(1)(c) GDPR (legal obligation to keep accounting records).', 'Staff of the organisation; tax advisers and tax authorities where the law requires it.', 'The organisation''s own records.', 'As long as tax and commercial law require (in Germany 10 years, §147 AO).'),
  ('family_links', 'Knowing who belongs together: legal representatives of minors, family discounts.', 'Which people are related, and how.', 'Art. 6(1)(b) GDPR (contract); Art. 6(1)(f) GDPR (legitimate interests).', 'Staff of the organisation.', 'The people themselves.', 'As long as one of the people linked has a relationship with the organisation.'),
  ('outbox', 'Sending e-mails and proving that they were sent.', 'Recipient address, subject and text of the e-mail, delivery status.', 'Art. 6(1)(b) GDPR (contract); Art. 6(1)(f) GDPR (legitimate interests).', 'The e-mail service that delivers the messages (processor).', 'The organisation''s own records.', 'As set in the outbox settings.');
