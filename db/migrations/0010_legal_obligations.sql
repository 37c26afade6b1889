-- 0010_legal_obligations: filled in by its change.
SELECT 1;
