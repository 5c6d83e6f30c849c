-- Memberships store segment numbers (4 bytes) instead of ids (37), with entry times as an array
-- beside them instead of a jsonb map; history keeps only memberships that ended (their entry moves
-- there with the exit), since a membership going on carries its own entry; counts are kept by the
-- statements that change memberships (they lock the rows and count what they changed), not by
-- triggers, whose transition tables copied every written row twice.
ALTER TABLE "segments" ADD COLUMN "number" integer NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "segments_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1);--> statement-breakpoint
CREATE UNIQUE INDEX "segments_number" ON "segments" USING btree ("number");--> statement-breakpoint
CREATE TABLE "segment_exits" (
	"customer_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"segments" integer[] NOT NULL,
	"entered_at" timestamp with time zone[] NOT NULL,
	CONSTRAINT "segment_exits_customer_id_at_pk" PRIMARY KEY("customer_id","at")
);
--> statement-breakpoint
-- Each exit in the old history, with when that membership had been entered (the latest entry of
-- it before the exit; the exit itself when the history has none). Deleted segments have no number: left out.
INSERT INTO segment_exits (customer_id, workspace_id, at, segments, entered_at)
  SELECT c.customer_id, min(c.workspace_id), c.at, array_agg(g.number ORDER BY g.number), array_agg(coalesce(e.at, c.at) ORDER BY g.number)
  FROM segment_changes c CROSS JOIN unnest(c.exited) x(id)
  JOIN segments g ON g.id = x.id
  LEFT JOIN LATERAL (SELECT max(p.at) AS at FROM segment_changes p WHERE p.customer_id = c.customer_id AND p.at < c.at AND x.id = ANY(p.entered)) e ON true
  GROUP BY c.customer_id, c.at;
--> statement-breakpoint
DROP TABLE "segment_changes" CASCADE;--> statement-breakpoint
DROP TRIGGER customer_segments_inserted ON customer_segments;--> statement-breakpoint
DROP TRIGGER customer_segments_updated ON customer_segments;--> statement-breakpoint
DROP TRIGGER customer_segments_deleted ON customer_segments;--> statement-breakpoint
DROP FUNCTION segment_counts_changed();--> statement-breakpoint
DROP INDEX "customer_segments_ids";--> statement-breakpoint
ALTER TABLE "customer_segments" ADD COLUMN "segments" integer[] DEFAULT '{}'::int4[] NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_segments" ADD COLUMN "entered_at" timestamp with time zone[] DEFAULT '{}'::timestamptz[] NOT NULL;--> statement-breakpoint
UPDATE customer_segments m SET segments = x.segments, entered_at = x.entered_at
  FROM (SELECT m2.customer_id, array_agg(g.number ORDER BY o) AS segments, array_agg((m2.since ->> s)::timestamptz ORDER BY o) AS entered_at
    FROM customer_segments m2 CROSS JOIN unnest(m2.segment_ids) WITH ORDINALITY u(s, o) JOIN segments g ON g.id = u.s
    GROUP BY m2.customer_id) x
  WHERE m.customer_id = x.customer_id;
--> statement-breakpoint
ALTER TABLE "customer_segments" DROP COLUMN "segment_ids";--> statement-breakpoint
ALTER TABLE "customer_segments" DROP COLUMN "since";--> statement-breakpoint
CREATE INDEX "customer_segments_segments" ON "customer_segments" USING gin ("segments");--> statement-breakpoint
-- Counts from the rows as they are now, in shard 0 (no backend has pid 0).
DELETE FROM segment_counts;
--> statement-breakpoint
INSERT INTO segment_counts (segment_id, shard, members)
  SELECT g.id, 0, x.n FROM (SELECT s, count(*) AS n FROM customer_segments, unnest(segments) s GROUP BY s) x JOIN segments g ON g.number = x.s;
