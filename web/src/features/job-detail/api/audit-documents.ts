import { gql } from '@urql/core';

/**
 * What became of one occurrence: MISSING is due and without any outcome (what must never
 * happen); PENDING is not settled yet or not yet due.
 */
export type AuditOutcome = 'SUCCEEDED' | 'FAILED' | 'UNKNOWN' | 'SKIPPED' | 'PENDING' | 'MISSING';

export interface AuditedOccurrence {
  scheduledAt: string;
  outcome: AuditOutcome;
  /** SKIPPED: why (MISFIRE, PAUSED, OVERLAP, DST). */
  reason: string | null;
  /** Attempt records of the occurrence (manual runs not counted). */
  attempts: number;
  /** The final attempt's HTTP status, when it got one. */
  statusCode: number | null;
}

export interface OccurrenceAudit {
  jobId: string;
  from: string;
  to: string;
  /** Occurrences listed (the server lists at most 10,000 per audit). */
  expected: number;
  /** Settled: with an execution outcome, or skipped on purpose. */
  accounted: number;
  /** MISSING ones; the rest of expected - accounted are PENDING. */
  unaccounted: number;
  /** More occurrences lie in the window: audit again from the last one listed. */
  truncated: boolean;
  occurrences: AuditedOccurrence[];
}

export interface AuditWindow {
  from: string;
  to: string;
}

export const OccurrenceAuditQuery = gql<{ occurrenceAudit: OccurrenceAudit }, AuditWindow & { jobId: string }>(`
  query OccurrenceAudit($jobId: ID!, $from: DateTime!, $to: DateTime!) {
    occurrenceAudit(jobId: $jobId, from: $from, to: $to) {
      jobId
      from
      to
      expected
      accounted
      unaccounted
      truncated
      occurrences {
        scheduledAt
        outcome
        reason
        attempts
        statusCode
      }
    }
  }
`);

export interface BackfillResult {
  jobId: string;
  dryRun: boolean;
  count: number;
  /** More occurrences are owed in the window: backfill again once this one is done. */
  truncated: boolean;
  /** Oldest first. */
  occurrences: string[];
}

export const BackfillJobMutation = gql<{ backfillJob: BackfillResult }, AuditWindow & { id: string; dryRun: boolean }>(`
  mutation BackfillJob($id: ID!, $from: DateTime!, $to: DateTime!, $dryRun: Boolean!) {
    backfillJob(id: $id, from: $from, to: $to, dryRun: $dryRun) {
      jobId
      dryRun
      count
      truncated
      occurrences
    }
  }
`);
