-- E-mail addresses mentioned in a message's subject and body, lower-cased.
-- IMMUTABLE so that it can back an expression index: anonymisation and deletion
-- find every message mentioning a set of addresses with one indexed `&&` lookup
-- instead of a LIKE scan per person.
CREATE OR REPLACE FUNCTION lethe_mentioned_emails(subject text, body text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT coalesce(array_agg(DISTINCT lower(m[1])), '{}'::text[])
  FROM regexp_matches(subject || ' ' || body, '([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})', 'g') AS m
$$;--> statement-breakpoint
CREATE INDEX "messages_mentioned_emails_idx" ON "messages" USING gin (lethe_mentioned_emails("subject", "body")) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX "people_last_name_prefix_idx" ON "people" (lower("last_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "people_first_name_prefix_idx" ON "people" (lower("first_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "people_email_prefix_idx" ON "people" (lower("email") text_pattern_ops);--> statement-breakpoint
CREATE OR REPLACE FUNCTION lethe_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only';
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON "audit_entries"
FOR EACH ROW EXECUTE FUNCTION lethe_audit_append_only();--> statement-breakpoint
INSERT INTO "privacy_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "roles" ("name", "description", "permissions") VALUES
  ('Admin', 'Everything', ARRAY['people.read','people.edit','people.export','privacy.prevent','R_CAN_ANONYMIZE_USERS','admin.data_privacy','admin.settings']),
  ('SuperUser', 'Reviews and anonymises eligible profiles', ARRAY['people.read','R_CAN_ANONYMIZE_USERS']),
  ('Staff', 'Reads and corrects records, prevents anonymisation', ARRAY['people.read','people.edit','privacy.prevent']),
  ('Agent', 'Reads records', ARRAY['people.read'])
ON CONFLICT ("name") DO NOTHING;
