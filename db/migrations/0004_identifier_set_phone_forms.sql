-- Phone numbers are found in text by their digits, whatever the separators: every run
-- of consecutive whole digit groups of a digits-and-separators span (7 to 18 digits, at
-- most 8 groups) is listed, so "+49 30 5550 1234. 2 lessons" still yields 493055501234
-- and "030/5550-1234" yields 03055501234. The subject's number is looked up in all its
-- forms (international, with 00, national with trunk prefix); see lib/privacy/identifiers.ts,
-- whose phoneCandidates must stay the same as this function.
CREATE OR REPLACE FUNCTION lethe_mentioned_phones(subject text, body text)
RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- PL/pgSQL, not a SQL function: the same work as a SQL query over generate_series ran
-- at ~10 ms a message (not inlinable, so executed as a sub-plan per call), which made
-- building the helpdesk's index take hours; these loops take ~15 µs. Only spans with at
-- least seven digits can yield a number, so the pattern asks for seven.
DECLARE
  m text[];
  g text[];
  n int;
  d text;
  found text[] := '{}';
BEGIN
  FOR m IN SELECT regexp_matches(subject || ' ' || body, '([0-9](?:[ ()/.+-]*[0-9]){6,})', 'g') LOOP
    g := regexp_split_to_array(m[1], '[^0-9]+');
    n := cardinality(g);
    FOR i IN 1..n LOOP
      d := '';
      FOR j IN i..least(n, i + 7) LOOP
        d := d || g[j];
        EXIT WHEN length(d) > 18;
        IF length(d) >= 7 AND NOT (d = ANY (found)) THEN
          found := found || d;
        END IF;
      END LOOP;
    END LOOP;
  END LOOP;
  RETURN found;
END
$$;--> statement-breakpoint
REINDEX INDEX "messages_mentioned_phones_idx";--> statement-breakpoint
-- Erasure redacts a subject's address or number in other customers' ticket titles: one
-- index probe per identifier instead of a scan of every title per batch.
CREATE INDEX "tickets_mentioned_identifiers_idx" ON "tickets" USING gin ((lethe_mentioned_emails("title", '') || lethe_mentioned_phones("title", ''))) WITH (fastupdate = off);--> statement-breakpoint
ALTER TABLE "privacy_settings" ADD COLUMN "default_phone_country" text DEFAULT 'DE' NOT NULL;--> statement-breakpoint
-- The same for other people's custom fields and for field history: erasure redacts the
-- subject's address or number there with one index probe per identifier, not a pass
-- over every person and every history row per batch (which, per deletion task, was
-- seconds at 100,000 people).
CREATE INDEX "people_mentioned_identifiers_idx" ON "people" USING gin ((lethe_mentioned_emails("custom_fields"::text, '') || lethe_mentioned_phones("custom_fields"::text, ''))) WITH (fastupdate = off) WHERE "custom_fields" <> '{}'::jsonb;--> statement-breakpoint
CREATE INDEX "field_history_mentioned_identifiers_idx" ON "field_history" USING gin ((lethe_mentioned_emails(coalesce("old_value", '') || ' ' || coalesce("new_value", ''), '') || lethe_mentioned_phones(coalesce("old_value", '') || ' ' || coalesce("new_value", ''), ''))) WITH (fastupdate = off);
