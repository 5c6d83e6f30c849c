CREATE TABLE "dead_letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"customer_id" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" jsonb NOT NULL,
	"attempts" integer NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retried_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_secrets" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"secret" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_open" ON "dead_letters" USING btree ("kind","ref") WHERE retried_at is null;--> statement-breakpoint
CREATE INDEX "dead_letters_workspace" ON "dead_letters" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "webhook_secrets_workspace" ON "webhook_secrets" USING btree ("workspace_id","created_at");