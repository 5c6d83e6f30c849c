CREATE TABLE "enrollment_requests" (
	"workspace_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "enrollment_requests_workspace_id_journey_id_idempotency_key_pk" PRIMARY KEY("workspace_id","journey_id","idempotency_key")
);
--> statement-breakpoint
CREATE INDEX "customers_email" ON "customers" USING btree ("workspace_id",lower("channels" -> 'email' ->> 'address'));