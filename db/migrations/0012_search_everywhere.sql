-- 0012_search_everywhere: filled in by its change.
SELECT 1;
