CREATE TABLE "customer_segments" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"segment_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"since" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recheck_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "segment_changes" (
	"customer_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"entered" text[] NOT NULL,
	"exited" text[] NOT NULL,
	CONSTRAINT "segment_changes_customer_id_at_pk" PRIMARY KEY("customer_id","at")
);
--> statement-breakpoint
CREATE INDEX "customer_segments_ids" ON "customer_segments" USING gin ("segment_ids");--> statement-breakpoint
CREATE INDEX "customer_segments_recheck" ON "customer_segments" USING btree ("recheck_at") WHERE "customer_segments"."recheck_at" is not null;--> statement-breakpoint
-- Memberships move from one row per membership to one row per customer, with the customer's recheck.
INSERT INTO customer_segments (customer_id, workspace_id, segment_ids, since)
  SELECT customer_id, min(workspace_id), array_agg(segment_id ORDER BY segment_id), jsonb_object_agg(segment_id, entered_at)
  FROM segment_members GROUP BY customer_id;
--> statement-breakpoint
INSERT INTO customer_segments (customer_id, workspace_id, recheck_at)
  SELECT customer_id, workspace_id, due_at FROM segment_rechecks
  ON CONFLICT (customer_id) DO UPDATE SET recheck_at = excluded.recheck_at;
--> statement-breakpoint
-- The timeline's `Segments Changed` events become rows of segment_changes (ids only; names are read from segments).
INSERT INTO segment_changes (customer_id, workspace_id, at, entered, exited)
  SELECT e.customer_id, min(e.workspace_id), e.timestamp,
    coalesce(array_agg(x.item ->> 'segmentId') FILTER (WHERE x.kind = 'entered' AND x.item ->> 'segmentId' IS NOT NULL), '{}'),
    coalesce(array_agg(x.item ->> 'segmentId') FILTER (WHERE x.kind = 'exited' AND x.item ->> 'segmentId' IS NOT NULL), '{}')
  FROM events e CROSS JOIN LATERAL (
    SELECT k.kind, v.item FROM (VALUES ('entered'), ('exited')) k(kind)
    CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.properties -> k.kind) = 'array' THEN e.properties -> k.kind ELSE '[]'::jsonb END) v(item)) x
  WHERE e.type = 'track' AND e.name = 'Segments Changed' AND e.message_id LIKE 'segments:%'
  GROUP BY e.customer_id, e.timestamp;
--> statement-breakpoint
DELETE FROM events WHERE type = 'track' AND name = 'Segments Changed' AND message_id LIKE 'segments:%';
--> statement-breakpoint
DROP TABLE "segment_members" CASCADE;
--> statement-breakpoint
DROP TABLE "segment_rechecks" CASCADE;
--> statement-breakpoint
DROP FUNCTION segment_counts_added();
--> statement-breakpoint
DROP FUNCTION segment_counts_removed();
--> statement-breakpoint
-- Counts from the rows as they are now, in shard 0 (no backend has pid 0).
DELETE FROM segment_counts;
--> statement-breakpoint
INSERT INTO segment_counts (segment_id, shard, members)
  SELECT s, 0, count(*) FROM customer_segments, unnest(segment_ids) s GROUP BY s;
--> statement-breakpoint
-- Every insert, update and delete of customer_segments adds, per segment, the ids its rows gained
-- less the ids they lost, to the writing connection's row of segment_counts (its backend pid), in
-- the same transaction: counts stay exact whoever writes, and concurrent writers never wait on one
-- another's counter rows. Segments in id order, so statements of one transaction lock them in one order.
CREATE FUNCTION segment_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO segment_counts (segment_id, shard, members)
      SELECT s, pg_backend_pid(), count(*) FROM added, unnest(added.segment_ids) s GROUP BY s ORDER BY s
    ON CONFLICT (segment_id, shard) DO UPDATE SET members = segment_counts.members + excluded.members;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO segment_counts (segment_id, shard, members)
      SELECT s, pg_backend_pid(), -count(*) FROM removed, unnest(removed.segment_ids) s GROUP BY s ORDER BY s
    ON CONFLICT (segment_id, shard) DO UPDATE SET members = segment_counts.members + excluded.members;
  ELSE
    INSERT INTO segment_counts (segment_id, shard, members)
      SELECT s, pg_backend_pid(), sum(d) FROM (
        SELECT s, 1 AS d FROM added, unnest(added.segment_ids) s
        UNION ALL SELECT s, -1 FROM removed, unnest(removed.segment_ids) s) x
      GROUP BY s HAVING sum(d) <> 0 ORDER BY s
    ON CONFLICT (segment_id, shard) DO UPDATE SET members = segment_counts.members + excluded.members;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customer_segments_inserted AFTER INSERT ON customer_segments REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION segment_counts_changed();
--> statement-breakpoint
CREATE TRIGGER customer_segments_updated AFTER UPDATE ON customer_segments REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION segment_counts_changed();
--> statement-breakpoint
CREATE TRIGGER customer_segments_deleted AFTER DELETE ON customer_segments REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION segment_counts_changed();
