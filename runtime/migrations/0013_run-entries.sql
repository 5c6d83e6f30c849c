CREATE TABLE "run_entries" (
	"workspace_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"customer_id" text NOT NULL
);
--> statement-breakpoint
-- Every run so far entered once.
INSERT INTO "run_entries" ("workspace_id", "journey_id", "version", "entered_at", "customer_id")
  SELECT "workspace_id", "journey_id", "version", "entered_at", "customer_id" FROM "progress";--> statement-breakpoint
DROP INDEX "progress_entered";--> statement-breakpoint
CREATE INDEX "run_entries_journey" ON "run_entries" USING btree ("journey_id","version","entered_at","customer_id");