-- 0008_audit_chain: filled in by its change.
SELECT 1;
