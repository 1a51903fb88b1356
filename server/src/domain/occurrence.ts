import type { DeliveryType } from './job-spec.ts';

/**
 * An occurrence is a job plus a scheduled instant. Its idempotency key is the same for every
 * attempt and every re-send after a crash, so a receiver can de-duplicate at-least-once deliveries.
 */
export function idempotencyKey(jobId: string, scheduledAtMs: number): string {
  return `${jobId}:${scheduledAtMs}`;
}

/**
 * Why an execution ran: its schedule; a catch-up of a fire missed while down; a recovery, the
 * re-send after a restart of an at-least-once occurrence that may have been in flight at a crash;
 * a user; or a backfill of a past occurrence that had no outcome.
 */
export const TRIGGERS = ['SCHEDULE', 'CATCH_UP', 'RECOVERY', 'MANUAL', 'BACKFILL'] as const;
export type Trigger = (typeof TRIGGERS)[number];

/**
 * Whether an execution of this trigger is part of the schedule's own sequence: it is tracked in
 * flight, its final attempt moves the job's durable cursor, and an at-most-once one waits for its
 * intent. A manual run and a backfill of a past occurrence do none of this: neither may move the
 * cursor past occurrences still owed.
 */
export function movesCursor(trigger: Trigger): boolean {
  return trigger !== 'MANUAL' && trigger !== 'BACKFILL';
}

/**
 * An occurrence that had no outcome when its job's schedule or delivery type was replaced, with
 * the type it was sent under: after a crash it is settled by that type (sent again, or UNKNOWN),
 * whatever the job's type has become.
 */
export interface OwedOccurrence {
  at: number;
  type: DeliveryType;
}

/**
 * Where a job's current spec is accounted up to: its durable cursor, or the instant the spec
 * replaced the one before, when that is later. Occurrences of the current schedule before it took
 * over were never the job's, so nothing plans, recovers or expects them.
 */
export function scheduleCursor({ cursorAt, rescheduledAt }: { cursorAt: number; rescheduledAt: number | null }): number {
  return rescheduledAt === null ? cursorAt : Math.max(cursorAt, rescheduledAt);
}

/**
 * How an attempt ended. UNKNOWN: an at-most-once call that may have been sent when the service
 * stopped, and that is never sent again.
 */
export const OUTCOMES = ['SUCCEEDED', 'FAILED', 'UNKNOWN'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The outcome of one attempt to run an occurrence, as it is persisted. */
export interface ExecutionRecord {
  jobId: string;
  scheduledAt: number;
  startedAt: number;
  durationMs: number;
  attempt: number;
  trigger: Trigger;
  statusCode: number | null;
  success: boolean;
  outcome: Outcome;
  error: string | null;
  /** The start of the response body (see engine/success-criteria.ts), when it was read; null or absent otherwise. */
  responseSnippet?: string | null;
  /**
   * The job's failed occurrences in a row once this attempt settled its occurrence (0 after a
   * success); absent when the attempt settles nothing (a retry follows) or says nothing of health.
   * Persisted with the record, so a streak survives a restart.
   */
  consecutiveFailures?: number;
  /**
   * The job's durable cursor may advance to this instant once this record is durable: every
   * occurrence at or before it has an outcome. Null leaves the cursor alone (manual runs).
   */
  cursorAt: number | null;
}

/**
 * Why occurrences were not run: the misfire policy (missed while the service was down or the
 * engine behind), a pause, the overlap policy (the previous run still in flight), or the DST
 * policy (a local time that did not exist or happened twice).
 */
export const SKIP_REASONS = ['MISFIRE', 'PAUSED', 'OVERLAP', 'DST'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Consecutive occurrences of a job that were deliberately not executed. */
export interface SkipRecord {
  jobId: string;
  fromAt: number;
  toAt: number;
  /** Occurrences in [fromAt, toAt]; null when there were too many to count cheaply. */
  count: number | null;
  reason: SkipReason;
  createdAt: number;
}

/** What an alert reports: a failed occurrence, or a change of the job's state. */
export const ALERT_EVENTS = ['JOB_FAILED', 'JOB_FAILING', 'JOB_RECOVERED', 'JOB_MISSED', 'JOB_LAGGING', 'JOB_AUTO_PAUSED'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** One attempt to deliver an alert to a job's webhook. */
export interface AlertRecord {
  jobId: string;
  event: AlertEvent;
  url: string;
  sentAt: number;
  statusCode: number | null;
  success: boolean;
  error: string | null;
}
