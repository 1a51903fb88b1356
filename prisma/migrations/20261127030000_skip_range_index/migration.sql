-- The audit reads a job's skipped ranges that reach into a window: an index on the range's end serves it
CREATE INDEX "Skip_jobId_toAt_idx" ON "Skip"("jobId", "toAt");
