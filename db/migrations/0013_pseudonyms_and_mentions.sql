-- 0013_pseudonyms_and_mentions: filled in by its change.
SELECT 1;
