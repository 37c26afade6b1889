-- The word indexes that the name-mention search probes once per name (0012, 0015) keep no
-- pending list, like every other GIN index of Lethe. With the default fastupdate, an
-- anonymisation writes its changed rows into the index's unsorted pending list, and until
-- a vacuum merges it every probe reads the whole list: at 100,000 people, the 8,000 names
-- of one verification took 49 s after an annual-size anonymisation instead of 14 s (1.5 s
-- once vacuumed). Writing the entries into the index directly costs the anonymisation
-- nothing measurable: its blanked texts have no words. Whatever is pending is merged now.
ALTER INDEX "messages_words_idx" SET (fastupdate = off);--> statement-breakpoint
ALTER INDEX "tickets_title_words_idx" SET (fastupdate = off);--> statement-breakpoint
ALTER INDEX "people_custom_fields_words_idx" SET (fastupdate = off);--> statement-breakpoint
ALTER INDEX "outbox_emails_words_idx" SET (fastupdate = off);--> statement-breakpoint
SELECT gin_clean_pending_list('messages_words_idx'::regclass), gin_clean_pending_list('tickets_title_words_idx'::regclass),
  gin_clean_pending_list('people_custom_fields_words_idx'::regclass), gin_clean_pending_list('outbox_emails_words_idx'::regclass);
