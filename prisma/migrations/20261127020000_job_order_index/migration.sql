-- Job pages are read oldest first, then by id: an index in that order serves them without a sort
CREATE INDEX "Job_createdAt_id_idx" ON "Job"("createdAt", "id");
