import type { Database } from 'better-sqlite3';
import { POLICY_FIELDS } from '../domain/job-policy.ts';
import type { JobSpec } from '../domain/job-spec.ts';

/** A new job's row: its spec and the instant it was created (also its first cursor). */
export interface NewJobRow {
  id: string;
  spec: JobSpec;
  createdAt: number;
  /**
   * The intent of its first fire, committed with the row, so the engine has none to write for it
   * (see SchedulableJob.intentAt). None: the engine announces the first fire's intent itself.
   */
  intentAt?: number | null;
}

/** A new job's row as the insert's positional parameters: plain values, cheap to send to the writer's thread. */
export type JobInsertParams = Array<string | number | null>;

/** The policy columns, in POLICY_FIELDS order. */
const POLICY_COLUMNS = POLICY_FIELDS.map((field) => `"${field}"`).join(', ');

/** A new job's row as the insert's positional parameters, in the order of prepareJobInsert's columns. */
export function jobInsertParams({ id, spec, createdAt, intentAt = null }: NewJobRow): JobInsertParams {
  const p = spec.policy;
  return [
    id, spec.schedule, spec.timezone, spec.api, spec.type, spec.alertWebhook, spec.timeoutMs, spec.maxAttempts,
    p.misfirePolicy, p.catchUpLimit, p.catchUpWindowMs, p.overlapPolicy, p.dstGap, p.dstOverlap,
    p.successCodes, p.successBodyPattern, p.failingThreshold, p.autoPauseAfter, p.lagAlertMs,
    createdAt, intentAt, createdAt, createdAt,
  ];
}

/** Prepares the insert of new jobs on a connection: all the rows given in one transaction, or none. */
export function prepareJobInsert(db: Database): (rows: readonly JobInsertParams[]) => void {
  const insert = db.prepare(
    `INSERT INTO "Job" ("id", "schedule", "timezone", "api", "type", "alertWebhook", "timeoutMs", "maxAttempts", ${POLICY_COLUMNS}, "status", "version", "cursorAt", "intentAt", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${POLICY_FIELDS.map(() => '?').join(', ')}, 'ACTIVE', 1, ?, ?, ?, ?)`,
  );
  return db.transaction((rows: readonly JobInsertParams[]) => {
    for (const params of rows) insert.run(params);
  });
}
