-- What a schedule change leaves owed: when the job's schedule was last replaced, and the
-- occurrences of the replaced schedule that had no outcome yet (a JSON array of instants)
ALTER TABLE "Job" ADD COLUMN "rescheduledAt" DATETIME;
ALTER TABLE "Job" ADD COLUMN "owedAt" TEXT;
