-- 0011_holds_and_references: filled in by its change.
SELECT 1;
