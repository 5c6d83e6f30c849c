CREATE TABLE "run_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"progress_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"transitions" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "send_outcomes" (
	"workspace_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"node_id" text NOT NULL,
	"progress_id" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- Existing steps keep their order and ids' order: one run_steps row each (id kept), sends and skips as outcomes.
INSERT INTO "run_steps" ("id", "workspace_id", "progress_id", "journey_id", "version", "transitions")
  SELECT "id", "workspace_id", "progress_id", "journey_id", "version",
    jsonb_build_array(jsonb_build_object('node_id', "node_id", 'handle', "handle", 'reason', "reason", 'detail', "detail", 'at', "at"))
  FROM "steps" ORDER BY "id";--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('run_steps', 'id'), GREATEST((SELECT max("id") FROM "run_steps"), 1));--> statement-breakpoint
INSERT INTO "send_outcomes" ("workspace_id", "journey_id", "version", "node_id", "progress_id", "reason", "at")
  SELECT "workspace_id", "journey_id", "version", "node_id", "progress_id", "reason", "at" FROM "steps" WHERE "reason" = 'sent' OR "reason" LIKE 'skipped:%';--> statement-breakpoint
DROP TABLE "steps" CASCADE;--> statement-breakpoint
-- One row per step, as the table was: readers (timeline, replay, path) are unchanged.
CREATE VIEW "steps" AS
  SELECT r."id" * 256 + t."n" - 1 AS "id", r."workspace_id", r."progress_id", r."journey_id", r."version",
    t."node_id", t."handle", t."reason", t."detail", t."at"
  FROM "run_steps" r
  CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(r."transitions") AS ("node_id" text, "handle" text, "reason" text, "detail" text, "at" timestamptz)) WITH ORDINALITY AS t("node_id", "handle", "reason", "detail", "at", "n");--> statement-breakpoint
-- Rare writers insert steps one by one: each becomes a run_steps row, and sends and skips an outcome.
CREATE FUNCTION "insert_step"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "run_steps" ("workspace_id", "progress_id", "journey_id", "version", "transitions")
    VALUES (NEW."workspace_id", NEW."progress_id", NEW."journey_id", NEW."version",
      jsonb_build_array(jsonb_build_object('node_id', NEW."node_id", 'handle', NEW."handle", 'reason', NEW."reason", 'detail', NEW."detail", 'at', NEW."at")));
  IF NEW."reason" = 'sent' OR NEW."reason" LIKE 'skipped:%' THEN
    INSERT INTO "send_outcomes" ("workspace_id", "journey_id", "version", "node_id", "progress_id", "reason", "at")
      VALUES (NEW."workspace_id", NEW."journey_id", NEW."version", NEW."node_id", NEW."progress_id", NEW."reason", NEW."at");
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "steps_insert" INSTEAD OF INSERT ON "steps" FOR EACH ROW EXECUTE FUNCTION "insert_step"();--> statement-breakpoint
CREATE INDEX "run_steps_progress" ON "run_steps" USING btree ("progress_id","id");--> statement-breakpoint
CREATE INDEX "send_outcomes_node" ON "send_outcomes" USING btree ("journey_id","node_id","at");--> statement-breakpoint
CREATE INDEX "send_outcomes_progress" ON "send_outcomes" USING btree ("progress_id");