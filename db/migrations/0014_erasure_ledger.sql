-- 0014_erasure_ledger: filled in by its change.
SELECT 1;
