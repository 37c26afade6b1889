-- A failed task can be put back in the queue. `attempts` only ever grows (it fences
-- each claim's writes), so the claims made before the last retry are remembered and
-- the worker's limit on dead claims counts from there.
ALTER TABLE "privacy_tasks" ADD COLUMN "retries" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "privacy_tasks" ADD COLUMN "attempts_before_retry" integer DEFAULT 0 NOT NULL;
