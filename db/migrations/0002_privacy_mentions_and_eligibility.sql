-- Phone numbers mentioned in a message's subject and body, as digits only (at least 7).
-- IMMUTABLE so that it can back an expression index: anonymisation blanks every message
-- that mentions a subject's phone number with one indexed `&&` lookup for a whole batch,
-- as it does for e-mail addresses with lethe_mentioned_emails.
CREATE OR REPLACE FUNCTION lethe_mentioned_phones(subject text, body text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT coalesce(array_agg(DISTINCT d), '{}'::text[])
  FROM (
    SELECT regexp_replace(m[1], '[^0-9]', '', 'g') AS d
    FROM regexp_matches(subject || ' ' || body, '(\+?[0-9][0-9 ()/.-]{5,}[0-9])', 'g') AS m
  ) AS x
  WHERE length(d) >= 7
$$;--> statement-breakpoint
CREATE INDEX "messages_mentioned_phones_idx" ON "messages" USING gin (lethe_mentioned_phones("subject", "body")) WITH (fastupdate = off);--> statement-breakpoint
-- Eligibility rule 9 (no enrolment in the last N teaching periods) reads the enrolments
-- of a few periods; rule 8 (outstanding debt) only the few unpaid invoices.
CREATE INDEX "enrolments_period_person_idx" ON "enrolments" ("teaching_period_id", "person_id");--> statement-breakpoint
CREATE INDEX "invoices_outstanding_idx" ON "invoices" ("person_id") WHERE "amount" > "amount_paid";--> statement-breakpoint
CREATE INDEX "loans_open_idx" ON "loans" ("person_id") WHERE "returned_at" IS NULL;
