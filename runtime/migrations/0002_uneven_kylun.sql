CREATE TABLE "audience_pending" (
	"run_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	CONSTRAINT "audience_pending_run_id_customer_id_pk" PRIMARY KEY("run_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "audience_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"occurrence" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"cursor" text,
	"scan_complete" boolean DEFAULT false NOT NULL,
	"total" integer,
	"scanned" integer DEFAULT 0 NOT NULL,
	"enrolled" integer DEFAULT 0 NOT NULL,
	"deferred" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "audience_pending_due" ON "audience_pending" USING btree ("run_id","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "audience_runs_occurrence" ON "audience_runs" USING btree ("journey_id","version","occurrence");--> statement-breakpoint
CREATE INDEX "customers_workspace" ON "customers" USING btree ("workspace_id","id");