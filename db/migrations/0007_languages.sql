-- Lethe speaks English and German. The organisation has a default language (the
-- privacy settings' row) and each account may choose its own; NULL follows the
-- organisation, so changing the default reaches everyone who has not chosen.
ALTER TABLE "privacy_settings" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "privacy_settings" ADD CONSTRAINT "privacy_settings_language_check" CHECK ("privacy_settings"."language" in ('en', 'de'));--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_locale_check" CHECK ("accounts"."locale" in ('en', 'de'));
