import type { Database } from 'better-sqlite3';
import type { DeliveryType, JobStatus } from '../domain/job-spec.ts';
import type { JobSpec } from '../domain/job-spec.ts';

/** What the engine needs of a stored job to schedule it. */
export interface ScheduleRow {
  id: string;
  spec: JobSpec;
  status: JobStatus;
  version: number;
  cursorAt: number;
  intentAt: number | null;
}

interface RawRow {
  id: string;
  schedule: string;
  timezone: string;
  api: string;
  type: string;
  alertWebhook: string | null;
  timeoutMs: number;
  maxAttempts: number;
  status: string;
  version: number;
  cursorAt: number;
  intentAt: number | null;
}

/**
 * Streams every job's scheduling fields straight from SQLite, one row at a time: a restart with a
 * million jobs neither builds a million Prisma objects nor holds them all at once.
 */
export function* scanScheduleRows(db: Database): Generator<ScheduleRow> {
  const rows = db
    .prepare(
      `SELECT "id", "schedule", "timezone", "api", "type", "alertWebhook", "timeoutMs", "maxAttempts", "status", "version", "cursorAt", "intentAt" FROM "Job"`,
    )
    .iterate() as IterableIterator<RawRow>;
  for (const row of rows) {
    yield {
      id: row.id,
      spec: {
        schedule: row.schedule,
        timezone: row.timezone,
        api: row.api,
        type: row.type as DeliveryType,
        alertWebhook: row.alertWebhook,
        timeoutMs: row.timeoutMs,
        maxAttempts: row.maxAttempts,
      },
      status: row.status as JobStatus,
      version: row.version,
      cursorAt: row.cursorAt,
      intentAt: row.intentAt,
    };
  }
}
