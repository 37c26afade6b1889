-- The read-only Auditor role (SPEC §13): the audit log, the task monitor, the register and
-- the statistics. Admin, which holds everything, gains the new permission too.
INSERT INTO "roles" ("name", "description", "permissions") VALUES
  ('Auditor', 'Reads the audit log, the task monitor, the register and the statistics', ARRAY['privacy.audit'])
ON CONFLICT ("name") DO NOTHING;
--> statement-breakpoint
UPDATE "roles" SET "permissions" = array_append("permissions", 'privacy.audit')
WHERE "name" = 'Admin' AND NOT ('privacy.audit' = ANY("permissions"));
