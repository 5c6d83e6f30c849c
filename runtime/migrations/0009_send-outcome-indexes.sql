DROP INDEX "messages_node";--> statement-breakpoint
DROP INDEX "steps_skipped";--> statement-breakpoint
CREATE INDEX "messages_failed" ON "messages" USING btree ("journey_id","node_id","created_at") WHERE status = 'failed';--> statement-breakpoint
CREATE INDEX "steps_send_outcomes" ON "steps" USING btree ("journey_id","node_id","at") WHERE reason = 'sent' or reason like 'skipped:%';