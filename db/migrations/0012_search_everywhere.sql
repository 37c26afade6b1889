-- 0012_search_everywhere: search finds a person the way erasure does.
--
-- lethe_fold: a name or text as search compares it. Lower case; "ß" as "ss", "æ"/"œ" as
-- "ae"/"oe"; diacritics dropped (the unaccent extension is not available everywhere Lethe
-- runs, so the common Latin letters are translated here); then the German transliterations
-- "ae", "oe", "ue" reduced to "a", "o", "u". So "Bräutigam", "Braeutigam" and "Brautigam"
-- all fold to "brautigam". IMMUTABLE so that it can back expression indexes; the query
-- side is folded by the same function.
CREATE OR REPLACE FUNCTION lethe_fold(value text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT replace(replace(replace(
    translate(
      replace(replace(replace(replace(lower(value), 'ß', 'ss'), 'ẞ', 'ss'), 'æ', 'ae'), 'œ', 'oe'),
      'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżžþ',
      'aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzzt'),
    'ae', 'a'), 'oe', 'o'), 'ue', 'u')
$$;--> statement-breakpoint
CREATE INDEX "people_last_name_fold_idx" ON "people" (lethe_fold("last_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "people_first_name_fold_idx" ON "people" (lethe_fold("first_name") text_pattern_ops);--> statement-breakpoint
DROP INDEX IF EXISTS "people_last_name_prefix_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "people_first_name_prefix_idx";--> statement-breakpoint
CREATE INDEX "people_external_id_lower_idx" ON "people" (lower("external_id"));--> statement-breakpoint
-- The words of a message (subject and body), folded like names, for the ticket search.
-- A tsvector with the 'simple' configuration (no stemming, no stop words: names and
-- addresses are not English words) rather than a pg_trgm index: pg_trgm is an extension
-- that the embedded database does not load, and a trigram index over whole message bodies
-- is several times larger and slower to keep up to date than a word index. The search
-- asks for every word of the query (plainto_tsquery), which the index answers alone.
-- The text is capped at 100,000 characters, below the tsvector's size limit. lethe_fold is
-- named with its schema: an index build runs its functions with a search_path of pg_catalog.
CREATE OR REPLACE FUNCTION lethe_message_words(subject text, body text)
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT to_tsvector('simple'::regconfig, public.lethe_fold(left(subject || ' ' || body, 100000)))
$$;--> statement-breakpoint
CREATE INDEX "messages_words_idx" ON "messages" USING gin (lethe_message_words("subject", "body"));
