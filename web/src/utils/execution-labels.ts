/** Why an execution ran (the schema's ExecutionTrigger). */
export type ExecutionTrigger = 'SCHEDULE' | 'CATCH_UP' | 'MANUAL' | 'RECOVERY' | 'BACKFILL';

/** How a stored execution ended (the schema's ExecutionOutcome). */
export type ExecutionOutcome = 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';

/** Each trigger in words, with what it means for the tooltip. */
export const TRIGGER_LABELS: Readonly<Record<ExecutionTrigger, { label: string; explanation: string }>> = {
  SCHEDULE: { label: 'Schedule', explanation: 'Fired by its schedule.' },
  CATCH_UP: { label: 'Catch-up', explanation: 'A fire missed while the service was down, run when it came back.' },
  MANUAL: { label: 'Manual', explanation: 'Started with "Run now".' },
  BACKFILL: { label: 'Backfill', explanation: 'A skipped or missing occurrence, run later on request (Backfill in the occurrence audit).' },
  RECOVERY: {
    label: 'Recovery',
    explanation: 'Sent again after a crash: the call may have been in flight when the service stopped. It carries the same idempotency key, so the target can drop a duplicate.',
  },
};

/** What an UNKNOWN outcome means, for its tooltip and legend. */
export const UNKNOWN_OUTCOME_EXPLANATION =
  'Outcome unknown: this at-most-once call may have been sent when the service stopped. It is never sent again.';
