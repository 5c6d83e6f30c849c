-- Every insert into and delete from segment_members adds its rows to segment_counts, per segment,
-- in the row of the writing connection (its backend pid), in the same transaction: counts stay
-- exact, and concurrent writers never wait on one another's counter rows. Segments in id order,
-- so two statements of one transaction lock their rows in one order.
CREATE FUNCTION segment_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO segment_counts (segment_id, shard, members)
    SELECT segment_id, pg_backend_pid(), count(*) FROM added GROUP BY segment_id ORDER BY segment_id
  ON CONFLICT (segment_id, shard) DO UPDATE SET members = segment_counts.members + excluded.members;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION segment_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO segment_counts (segment_id, shard, members)
    SELECT segment_id, pg_backend_pid(), -count(*) FROM removed GROUP BY segment_id ORDER BY segment_id
  ON CONFLICT (segment_id, shard) DO UPDATE SET members = segment_counts.members + excluded.members;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER segment_members_added AFTER INSERT ON segment_members REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION segment_counts_added();
--> statement-breakpoint
CREATE TRIGGER segment_members_removed AFTER DELETE ON segment_members REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION segment_counts_removed();
--> statement-breakpoint
-- The members there are already, in shard 0 (no backend has pid 0).
INSERT INTO segment_counts (segment_id, shard, members) SELECT segment_id, 0, count(*) FROM segment_members GROUP BY segment_id;
