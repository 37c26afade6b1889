-- Phone numbers are found in text by their digits, whatever the separators: every run
-- of consecutive whole digit groups of a digits-and-separators span (7 to 18 digits, at
-- most 8 groups) is listed, so "+49 30 5550 1234. 2 lessons" still yields 493055501234
-- and "030/5550-1234" yields 03055501234. The subject's number is looked up in all its
-- forms (international, with 00, national with trunk prefix); see lib/privacy/identifiers.ts,
-- whose phoneCandidates must stay the same as this function.
CREATE OR REPLACE FUNCTION lethe_mentioned_phones(subject text, body text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT coalesce(array_agg(DISTINCT d), '{}'::text[])
  FROM (
    SELECT array_to_string(s.g[i:j], '') AS d
    FROM (
      SELECT regexp_split_to_array(m[1], '[^0-9]+') AS g
      FROM regexp_matches(subject || ' ' || body, '([0-9][0-9 ()/.+-]*[0-9])', 'g') AS m
    ) AS s
    CROSS JOIN LATERAL generate_series(1, cardinality(s.g)) AS i
    CROSS JOIN LATERAL generate_series(i, least(cardinality(s.g), i + 7)) AS j
  ) AS x
  WHERE length(d) BETWEEN 7 AND 18
$$;--> statement-breakpoint
REINDEX INDEX "messages_mentioned_phones_idx";--> statement-breakpoint
-- Erasure redacts a subject's address or number in other customers' ticket titles: one
-- index probe per identifier instead of a scan of every title per batch.
CREATE INDEX "tickets_mentioned_identifiers_idx" ON "tickets" USING gin ((lethe_mentioned_emails("title", '') || lethe_mentioned_phones("title", ''))) WITH (fastupdate = off);--> statement-breakpoint
ALTER TABLE "privacy_settings" ADD COLUMN "default_phone_country" text DEFAULT 'DE' NOT NULL;
