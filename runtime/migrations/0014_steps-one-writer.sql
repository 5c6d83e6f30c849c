-- Steps have one writer (writeSteps: run_steps and send_outcomes); the view is read-only again,
-- so which steps count as send outcomes is decided in one place.
DROP TRIGGER IF EXISTS "steps_insert" ON "steps";--> statement-breakpoint
DROP FUNCTION IF EXISTS "insert_step"();
