-- The read-only Auditor role (SPEC §13): the audit log, the task monitor, the register and
-- the statistics. Admin, which holds everything, gains the new permission too.
INSERT INTO "roles" ("name", "description", "permissions") VALUES
  ('Auditor', 'Reads the audit log, the task monitor, the register and the statistics', ARRAY['privacy.audit'])
ON CONFLICT ("name") DO NOTHING;
--> statement-breakpoint
UPDATE "roles" SET "permissions" = array_append("permissions", 'privacy.audit')
WHERE "name" = 'Admin' AND NOT ('privacy.audit' = ANY("permissions"));
--> statement-breakpoint
-- The audit log proves itself (SPEC §13): each entry carries the SHA-256 of the entry
-- before it (prev_hash; 64 zeros for the first) and of its own canonical content (hash).
-- The content is one JSON array, written by jsonb's own output, which is canonical (keys
-- of `details` in jsonb's fixed order, one spacing): [id, created_at as ISO UTC with
-- microseconds, actor, action, target type, target id, details]. audit:verify and the
-- page's "Verify the chain" recompute it with this same function.
CREATE OR REPLACE FUNCTION lethe_audit_hash(prev_hash text, id integer, created_at timestamptz, actor_account_id integer,
  action text, target_type text, target_id integer, details jsonb)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT encode(sha256(convert_to(prev_hash || jsonb_build_array(id,
    to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    actor_account_id, action, target_type, target_id, details)::text, 'UTF8')), 'hex')
$$;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "prev_hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Entries written before the chain existed are chained once, in id order.
ALTER TABLE "audit_entries" DISABLE TRIGGER "audit_entries_append_only";--> statement-breakpoint
DO $$
DECLARE
  r record;
  prev text := repeat('0', 64);
BEGIN
  FOR r IN SELECT * FROM audit_entries ORDER BY id LOOP
    UPDATE audit_entries SET prev_hash = prev,
      hash = lethe_audit_hash(prev, r.id, r.created_at, r.actor_account_id, r.action, r.target_type, r.target_id, r.details)
    WHERE id = r.id RETURNING hash INTO prev;
  END LOOP;
END
$$;--> statement-breakpoint
ALTER TABLE "audit_entries" ENABLE TRIGGER "audit_entries_append_only";--> statement-breakpoint
-- Appending: whatever inserts (one recordAudit, or a set-based INSERT … SELECT of
-- thousands), this trigger numbers and chains each row. The first append of a
-- transaction takes a transaction-level advisory lock, so concurrent writers queue and
-- cannot fork the chain; the head (id:hash) is then kept in a transaction-local setting,
-- so further rows of the same transaction cost no look-up. The id is the position in the
-- chain: the last id + 1, given under the lock (the identity default is overridden).
CREATE OR REPLACE FUNCTION lethe_audit_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  head text := current_setting('lethe.audit_head', true);
  last_id integer;
  last_hash text;
BEGIN
  IF head IS NULL OR head = '' THEN
    PERFORM pg_advisory_xact_lock(7243190511);
    SELECT a.id, a.hash INTO last_id, last_hash FROM audit_entries a ORDER BY a.id DESC LIMIT 1;
    IF last_id IS NULL THEN
      last_id := 0;
      last_hash := repeat('0', 64);
    END IF;
  ELSE
    last_id := split_part(head, ':', 1)::integer;
    last_hash := split_part(head, ':', 2);
  END IF;
  NEW.id := last_id + 1;
  NEW.created_at := coalesce(NEW.created_at, now());
  NEW.details := coalesce(NEW.details, '{}'::jsonb);
  NEW.prev_hash := last_hash;
  NEW.hash := lethe_audit_hash(last_hash, NEW.id, NEW.created_at, NEW.actor_account_id, NEW.action, NEW.target_type, NEW.target_id, NEW.details);
  PERFORM set_config('lethe.audit_head', NEW.id || ':' || NEW.hash, true);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_entries_chain BEFORE INSERT ON "audit_entries"
FOR EACH ROW EXECUTE FUNCTION lethe_audit_chain();--> statement-breakpoint
-- Entries are never changed. They are removed only by the purge of the log's own
-- retention, from the oldest end: it names the last id it cuts in a transaction-local
-- setting, and no other row may go.
CREATE OR REPLACE FUNCTION lethe_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.id <= coalesce(nullif(current_setting('lethe.audit_purge_up_to', true), '')::integer, 0) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_entries is append-only';
END
$$;--> statement-breakpoint
CREATE INDEX "audit_entries_target_idx" ON "audit_entries" ("target_type", "target_id", "id" DESC);--> statement-breakpoint
CREATE INDEX "audit_entries_actor_idx" ON "audit_entries" ("actor_account_id", "id" DESC);--> statement-breakpoint
CREATE INDEX "audit_entries_action_idx" ON "audit_entries" ("action", "id" DESC);--> statement-breakpoint
-- The page's "subject" filter: privacy tasks name their person in details.
CREATE INDEX "audit_entries_subject_person_idx" ON "audit_entries" (("details" ->> 'subjectPersonId'));--> statement-breakpoint
ALTER TABLE "privacy_settings" ADD COLUMN "audit_retention_months" integer DEFAULT 72 NOT NULL;
