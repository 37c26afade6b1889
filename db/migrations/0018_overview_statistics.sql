-- Statistics kept (SPEC §12): the overview's monthly counts, kept exact by the database
-- itself, so that the page reads a few hundred rows instead of counting 300,000 tickets
-- and joining their customers on every load.
--
-- One row per series and month; the month is the calendar month in the organisation's
-- time zone (privacy_settings.time_zone), written as its first day:
--   tickets             tickets by the month they were created;
--   tickets_anonymised  of those, the anonymised ones: anonymised on their own
--                       (tickets.anonymised_at) or their customer was (people.anonymised_at);
--   anonymisations      completed anonymisations of people, by the month they completed;
--   deletions           completed deletions of people, likewise.
-- Erasures are counted from the erasure ledger (migration 0014), not from the task log or
-- the people: every completed task writes its ledger row — one per person, the annual run
-- and bulk anonymisations included, since they queue one task per person — and the ledger
-- is never purged, while task logs go after 12 months and a deleted person leaves no row.
-- Rows a replay wrote after a restore (replay = true) are the same erasures again and are
-- not counted twice.
--
-- The triggers are statement-level with transition tables: one aggregate per statement
-- whatever its row count, so the annual run and bulk deletions stay set-based. Deltas are
-- added by INSERT … ON CONFLICT in (series, month) order: concurrent writers queue on the
-- rows they share, always in the same order, and each adds to the committed count.
CREATE TABLE "overview_month_counts" (
  "series" text NOT NULL CONSTRAINT "overview_month_counts_series_check"
    CHECK ("series" IN ('tickets', 'tickets_anonymised', 'anonymisations', 'deletions')),
  "month" date NOT NULL,
  "count" integer NOT NULL,
  CONSTRAINT "overview_month_counts_pkey" PRIMARY KEY ("series", "month")
);--> statement-breakpoint
-- The organisation's time zone as the counts use it: the setting, or Lethe's default when
-- there is no settings row or PostgreSQL does not know the zone (a ticket must never fail
-- to be written because of a setting).
CREATE OR REPLACE FUNCTION lethe_statistics_time_zone() RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  zone text;
BEGIN
  SELECT time_zone INTO zone FROM privacy_settings WHERE id = 1;
  zone := coalesce(zone, 'Europe/Berlin');
  PERFORM now() AT TIME ZONE zone;
  RETURN zone;
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN 'Europe/Berlin';
END $$;--> statement-breakpoint
-- Adds one statement's deltas, already summed per series and month. The helpers are
-- PL/pgSQL rather than SQL functions so that their plans are kept between calls: a SQL
-- function called from a trigger is planned again on every call (about 3 ms each, against
-- under 1 ms for 500 tickets). Their kept plans are the same whatever the number of rows —
-- a scan of the arrays and one index look-up per customer or person — so a plan made for
-- a small statement stays right for the annual run's batch.
CREATE OR REPLACE FUNCTION lethe_add_month_counts(p_series text[], p_months date[], p_deltas integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO overview_month_counts AS c (series, month, count)
  SELECT d.s, d.m, d.n FROM unnest(p_series, p_months, p_deltas) AS d(s, m, n)
  WHERE d.n <> 0 ORDER BY d.s, d.m
  ON CONFLICT (series, month) DO UPDATE SET count = c.count + excluded.count;
END $$;--> statement-breakpoint
-- Tickets. Each ticket counts in "tickets", and in "tickets_anonymised" when it or its
-- customer is anonymised. The triggers only gather the statement's rows, signed (+1 new,
-- -1 old), into arrays; lethe_add_ticket_deltas sums them per month, own anonymisation and
-- customer, drops what cancels out — an update that changes none of the three, such as an
-- IP address cleared or a title redacted, adds nothing — and reads each remaining
-- customer once. The transition tables are never joined to each other: they have no index,
-- and a plan cached for a small statement would loop over both for a large one.
-- A ticket's customer is read as it is now: within a statement on tickets the people do
-- not change — except when a person's deletion sets customer_id to null, and
-- people_before_delete_month_counts below has then already counted their tickets as not
-- anonymised, which is what the old row reads as once the person is gone.
CREATE OR REPLACE FUNCTION lethe_add_ticket_deltas(p_created timestamptz[], p_own boolean[], p_customers integer[], p_signs integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  zone text := lethe_statistics_time_zone();
BEGIN
  PERFORM lethe_add_month_counts(array_agg(x.series), array_agg(x.month), array_agg(x.delta)) FROM (
    SELECT v.series, d.month, sum(d.n)::int AS delta
    FROM (
      SELECT date_trunc('month', s.created_at AT TIME ZONE zone)::date AS month, s.own, s.customer_id, sum(s.sign) AS n
      FROM unnest(p_created, p_own, p_customers, p_signs) AS s(created_at, own, customer_id, sign)
      GROUP BY 1, 2, 3 HAVING sum(s.sign) <> 0) d
    LEFT JOIN people p ON p.id = d.customer_id
    CROSS JOIN LATERAL (VALUES ('tickets', true), ('tickets_anonymised', d.own OR p.anonymised_at IS NOT NULL)) v(series, counted)
    WHERE v.counted GROUP BY 1, 2) x;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION lethe_ticket_month_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- A statement that touched no ticket (a foreign key's update for a person without
  -- tickets, say) ends here, before any planning of the work below.
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
    PERFORM lethe_add_ticket_deltas(array_agg(created_at), array_agg(anonymised_at IS NOT NULL), array_agg(customer_id), array_agg(1)) FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
    PERFORM lethe_add_ticket_deltas(array_agg(created_at), array_agg(anonymised_at IS NOT NULL), array_agg(customer_id), array_agg(-1)) FROM old_rows;
  ELSE
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
    PERFORM lethe_add_ticket_deltas(array_agg(s.created_at), array_agg(s.own), array_agg(s.customer_id), array_agg(s.sign)) FROM (
      SELECT created_at, anonymised_at IS NOT NULL AS own, customer_id, 1 AS sign FROM new_rows
      UNION ALL SELECT created_at, anonymised_at IS NOT NULL, customer_id, -1 FROM old_rows) s;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER tickets_insert_month_counts AFTER INSERT ON "tickets"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lethe_ticket_month_counts();--> statement-breakpoint
CREATE TRIGGER tickets_update_month_counts AFTER UPDATE ON "tickets"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lethe_ticket_month_counts();--> statement-breakpoint
CREATE TRIGGER tickets_delete_month_counts AFTER DELETE ON "tickets"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lethe_ticket_month_counts();--> statement-breakpoint
-- People. Anonymising a person (or undoing it, or inserting one already anonymised whose
-- tickets exist) moves their tickets that are not anonymised on their own into or out of
-- "tickets_anonymised": one statement for the annual run's whole batch. The people
-- anonymised after the statement count +1, before it -1; whoever was anonymised on both
-- sides cancels out and costs no look-up of tickets.
CREATE OR REPLACE FUNCTION lethe_move_customer_tickets(p_ids integer[], p_signs integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  zone text := lethe_statistics_time_zone();
BEGIN
  PERFORM lethe_add_month_counts(array_agg('tickets_anonymised'::text), array_agg(x.month), array_agg(x.delta)) FROM (
    SELECT date_trunc('month', t.created_at AT TIME ZONE zone)::date AS month, sum(d.n)::int AS delta
    FROM (SELECT s.id, sum(s.sign) AS n FROM unnest(p_ids, p_signs) AS s(id, sign) GROUP BY 1 HAVING sum(s.sign) <> 0) d
    JOIN tickets t ON t.customer_id = d.id AND t.anonymised_at IS NULL
    GROUP BY 1) x;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION lethe_people_month_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Most statements on people involve nobody anonymised: they end here.
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE anonymised_at IS NOT NULL) THEN RETURN NULL; END IF;
    PERFORM lethe_move_customer_tickets(array_agg(id), array_agg(1)) FROM new_rows WHERE anonymised_at IS NOT NULL;
  ELSE
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE anonymised_at IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM old_rows WHERE anonymised_at IS NOT NULL) THEN
      RETURN NULL;
    END IF;
    PERFORM lethe_move_customer_tickets(array_agg(s.id), array_agg(s.sign)) FROM (
      SELECT id, 1 AS sign FROM new_rows WHERE anonymised_at IS NOT NULL
      UNION ALL SELECT id, -1 FROM old_rows WHERE anonymised_at IS NOT NULL) s;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER people_insert_month_counts AFTER INSERT ON "people"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lethe_people_month_counts();--> statement-breakpoint
CREATE TRIGGER people_update_month_counts AFTER UPDATE ON "people"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lethe_people_month_counts();--> statement-breakpoint
-- Deleting an anonymised person whose tickets are still there (Lethe's deletion removes
-- them first; a plain DELETE may not): the foreign key then sets their customer to null,
-- and they are no longer anonymised by their customer. Settled here, before the row goes,
-- while the tickets still name the person; a row trigger because only it sees the person
-- before the foreign key's own row-by-row update runs, and only for anonymised people.
CREATE OR REPLACE FUNCTION lethe_people_before_delete_month_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM tickets WHERE customer_id = OLD.id AND anonymised_at IS NULL) THEN
    PERFORM lethe_move_customer_tickets(ARRAY[OLD.id], ARRAY[-1]);
  END IF;
  RETURN OLD;
END $$;--> statement-breakpoint
CREATE TRIGGER people_before_delete_month_counts BEFORE DELETE ON "people"
FOR EACH ROW WHEN (OLD."anonymised_at" IS NOT NULL) EXECUTE FUNCTION lethe_people_before_delete_month_counts();--> statement-breakpoint
-- The erasure ledger: rows are only ever inserted, but a deletion or correction is counted
-- all the same. Only erasures of people are counted here; other rows the ledger may hold
-- (a ticket deleted on its own) are not an anonymisation or deletion of a person.
CREATE OR REPLACE FUNCTION lethe_ledger_month_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  zone text := lethe_statistics_time_zone();
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM lethe_add_month_counts(array_agg(x.series), array_agg(x.month), array_agg(x.delta)) FROM (
      SELECT CASE l.action WHEN 'delete' THEN 'deletions' ELSE 'anonymisations' END AS series,
        date_trunc('month', l.completed_at AT TIME ZONE zone)::date AS month, count(*)::int AS delta
      FROM new_rows l WHERE NOT l.replay AND l.action IN ('anonymise', 'delete') GROUP BY 1, 2) x;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM lethe_add_month_counts(array_agg(x.series), array_agg(x.month), array_agg(x.delta)) FROM (
      SELECT CASE l.action WHEN 'delete' THEN 'deletions' ELSE 'anonymisations' END AS series,
        date_trunc('month', l.completed_at AT TIME ZONE zone)::date AS month, -count(*)::int AS delta
      FROM old_rows l WHERE NOT l.replay AND l.action IN ('anonymise', 'delete') GROUP BY 1, 2) x;
  ELSE
    PERFORM lethe_add_month_counts(array_agg(x.series), array_agg(x.month), array_agg(x.delta)) FROM (
      SELECT CASE l.action WHEN 'delete' THEN 'deletions' ELSE 'anonymisations' END AS series,
        date_trunc('month', l.completed_at AT TIME ZONE zone)::date AS month, sum(l.sign)::int AS delta
      FROM (SELECT o.action, o.completed_at, o.replay, -1 AS sign FROM old_rows o
            UNION ALL SELECT n.action, n.completed_at, n.replay, 1 FROM new_rows n) l
      WHERE NOT l.replay AND l.action IN ('anonymise', 'delete') GROUP BY 1, 2) x;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER erasure_ledger_insert_month_counts AFTER INSERT ON "erasure_ledger"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lethe_ledger_month_counts();--> statement-breakpoint
CREATE TRIGGER erasure_ledger_update_month_counts AFTER UPDATE ON "erasure_ledger"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lethe_ledger_month_counts();--> statement-breakpoint
CREATE TRIGGER erasure_ledger_delete_month_counts AFTER DELETE ON "erasure_ledger"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lethe_ledger_month_counts();--> statement-breakpoint
-- TRUNCATE bypasses row and transition triggers: it empties the series it empties.
CREATE OR REPLACE FUNCTION lethe_truncate_month_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'erasure_ledger' THEN
    DELETE FROM overview_month_counts WHERE series IN ('anonymisations', 'deletions');
  ELSE
    DELETE FROM overview_month_counts WHERE series IN ('tickets', 'tickets_anonymised');
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER tickets_truncate_month_counts AFTER TRUNCATE ON "tickets"
FOR EACH STATEMENT EXECUTE FUNCTION lethe_truncate_month_counts();--> statement-breakpoint
CREATE TRIGGER erasure_ledger_truncate_month_counts AFTER TRUNCATE ON "erasure_ledger"
FOR EACH STATEMENT EXECUTE FUNCTION lethe_truncate_month_counts();--> statement-breakpoint
-- Every count from scratch, in the time zone of the settings: the backfill below, and
-- whenever the organisation's time zone changes (months then begin at other instants).
-- The SHARE locks wait for the writers in flight and hold new ones back until this
-- transaction commits; they then read the new zone, so nothing is counted in the old one.
CREATE OR REPLACE FUNCTION lethe_rebuild_month_counts() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  zone text;
BEGIN
  LOCK TABLE tickets, people, erasure_ledger IN SHARE MODE;
  zone := lethe_statistics_time_zone();
  DELETE FROM overview_month_counts;
  INSERT INTO overview_month_counts (series, month, count)
  SELECT v.series, date_trunc('month', t.created_at AT TIME ZONE zone)::date, count(*)
  FROM tickets t LEFT JOIN people p ON p.id = t.customer_id
  CROSS JOIN LATERAL (VALUES ('tickets', true), ('tickets_anonymised', t.anonymised_at IS NOT NULL OR p.anonymised_at IS NOT NULL)) v(series, counted)
  WHERE v.counted GROUP BY 1, 2
  UNION ALL
  SELECT CASE l.action WHEN 'delete' THEN 'deletions' ELSE 'anonymisations' END,
    date_trunc('month', l.completed_at AT TIME ZONE zone)::date, count(*)
  FROM erasure_ledger l WHERE NOT l.replay AND l.action IN ('anonymise', 'delete') GROUP BY 1, 2;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION lethe_time_zone_month_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lethe_rebuild_month_counts();
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER privacy_settings_time_zone_month_counts AFTER UPDATE OF "time_zone" ON "privacy_settings"
FOR EACH ROW WHEN (OLD."time_zone" IS DISTINCT FROM NEW."time_zone") EXECUTE FUNCTION lethe_time_zone_month_counts();--> statement-breakpoint
CREATE TRIGGER privacy_settings_insert_delete_month_counts AFTER INSERT OR DELETE ON "privacy_settings"
FOR EACH ROW EXECUTE FUNCTION lethe_time_zone_month_counts();--> statement-breakpoint
SELECT lethe_rebuild_month_counts();
