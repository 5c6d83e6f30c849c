CREATE TABLE "entry_refusals" (
	"workspace_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"reason" text NOT NULL,
	"detail" text NOT NULL,
	"version" integer NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "entry_refusals_journey_id_customer_id_reason_pk" PRIMARY KEY("journey_id","customer_id","reason")
);
--> statement-breakpoint
CREATE TABLE "held_inputs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"progress_id" text NOT NULL,
	"input" jsonb NOT NULL,
	"held_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "journeys" ADD COLUMN "published_revision" integer;--> statement-breakpoint
CREATE INDEX "entry_refusals_customer" ON "entry_refusals" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "held_inputs_journey" ON "held_inputs" USING btree ("journey_id","id");--> statement-breakpoint
CREATE INDEX "held_inputs_progress" ON "held_inputs" USING btree ("progress_id");--> statement-breakpoint
UPDATE "journeys" SET "published_revision" = "revision" WHERE "live_version" IS NOT NULL;
