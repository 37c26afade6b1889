-- 0013_pseudonyms_and_mentions: the "pseudonymise" field policy needs no column (it is a
-- value of privacy_settings.field_policies); mentions of a subject in other people's
-- messages are blanked whole (the default, as before) or only the identifier redacted.
ALTER TABLE "privacy_settings" ADD COLUMN "others_mentions" text DEFAULT 'blank_message' NOT NULL;--> statement-breakpoint
ALTER TABLE "privacy_settings" ADD CONSTRAINT "privacy_settings_others_mentions_check" CHECK ("privacy_settings"."others_mentions" in ('blank_message', 'redact'));
