import { gql } from '@urql/core';

/**
 * What became of one occurrence: MISSING is due and without any outcome (what must never
 * happen); PENDING is not settled yet or not yet due.
 */
export type AuditOutcome = 'SUCCEEDED' | 'FAILED' | 'UNKNOWN' | 'SKIPPED' | 'PENDING' | 'MISSING';

export interface AuditedOccurrence {
  scheduledAt: string;
  outcome: AuditOutcome;
  /** Why it was skipped (MISFIRE, PAUSED, OVERLAP, DST, …) or what is known of the outcome. */
  reason: string | null;
  attempts: number;
  statusCode: number | null;
}

export interface OccurrenceAudit {
  jobId: string;
  from: string;
  to: string;
  expected: number;
  accounted: number;
  unaccounted: number;
  /** The list stops short of every occurrence in the window (the counts do not). */
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
  truncated: boolean;
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
