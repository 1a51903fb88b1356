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
 * or a user.
 */
export type Trigger = 'SCHEDULE' | 'CATCH_UP' | 'RECOVERY' | 'MANUAL';

/**
 * How an attempt ended. UNKNOWN: an at-most-once call that may have been sent when the service
 * stopped, and that is never sent again.
 */
export type Outcome = 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';

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
  /**
   * The job's durable cursor may advance to this instant once this record is durable: every
   * occurrence at or before it has an outcome. Null leaves the cursor alone (manual runs).
   */
  cursorAt: number | null;
}

/** Why occurrences were not run: missed while the service was down, or while the job was paused. */
export type SkipReason = 'MISFIRE' | 'PAUSED';

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

export type AlertEvent = 'JOB_FAILED';

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
