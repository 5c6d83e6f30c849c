ALTER TABLE "node_stats" ADD COLUMN "day" date NOT NULL DEFAULT current_date;--> statement-breakpoint
ALTER TABLE "node_stats" ALTER COLUMN "day" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "node_stats" DROP CONSTRAINT "node_stats_journey_id_version_node_id_metric_pk";--> statement-breakpoint
ALTER TABLE "node_stats" ADD CONSTRAINT "node_stats_journey_id_version_day_node_id_metric_pk" PRIMARY KEY("journey_id","version","day","node_id","metric");--> statement-breakpoint
CREATE INDEX "messages_node" ON "messages" USING btree ("journey_id","node_id","created_at");--> statement-breakpoint
CREATE INDEX "progress_entered" ON "progress" USING btree ("journey_id","version","entered_at","customer_id");--> statement-breakpoint
CREATE INDEX "steps_skipped" ON "steps" USING btree ("journey_id","node_id","at") WHERE reason like 'skipped:%';
