ALTER TABLE "progress" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "progress_due" ON "progress" USING btree ("due_at") WHERE due_at is not null;--> statement-breakpoint
-- Runs already waiting keep their timers: the due time is the one their position holds.
UPDATE "progress" SET "due_at" = ("state" #>> '{position,until}')::timestamptz WHERE "status" = 'active' AND "state" #>> '{position,until}' IS NOT NULL;
