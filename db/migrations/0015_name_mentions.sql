-- 0015_name_mentions: filled in by its change.
SELECT 1;
