-- Retries per job, the at-most-once intent cursor, and an explicit outcome per execution
ALTER TABLE "Job" ADD COLUMN "maxAttempts" INTEGER NOT NULL DEFAULT 3;
ALTER TABLE "Job" ADD COLUMN "intentAt" DATETIME;
ALTER TABLE "Execution" ADD COLUMN "outcome" TEXT NOT NULL DEFAULT 'SUCCEEDED';
UPDATE "Execution" SET "outcome" = CASE WHEN "success" THEN 'SUCCEEDED' ELSE 'FAILED' END;
CREATE INDEX "Execution_jobId_scheduledAt_idx" ON "Execution"("jobId", "scheduledAt");
