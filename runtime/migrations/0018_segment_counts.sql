CREATE TABLE "segment_counts" (
	"segment_id" text NOT NULL,
	"shard" integer NOT NULL,
	"members" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "segment_counts_segment_id_shard_pk" PRIMARY KEY("segment_id","shard")
);
