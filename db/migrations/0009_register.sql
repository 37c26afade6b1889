-- 0009_register: filled in by its change.
SELECT 1;
