CREATE TABLE "event_queue" (
	"event_id" bigint PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL
);
--> statement-breakpoint
-- Events not yet seen by journeys move to the queue before the flag goes.
INSERT INTO "event_queue" ("event_id", "customer_id") SELECT "id", "customer_id" FROM "events" WHERE "processed_at" IS NULL AND "type" IN ('track', 'identify');--> statement-breakpoint
DROP INDEX "events_unprocessed";--> statement-breakpoint
CREATE INDEX "event_queue_customer" ON "event_queue" USING btree ("customer_id");--> statement-breakpoint
ALTER TABLE "events" DROP COLUMN "processed_at";