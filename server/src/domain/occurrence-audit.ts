import type { JobPolicy } from './job-policy.ts';
import type { JobSpec } from './job-spec.ts';
import type { Outcome, SkipReason } from './occurrence.ts';
import { isRetryable, RETRY_POLICY } from './retry-policy.ts';

/**
 * What became of an expected occurrence. MISSING: due, settled by the job's cursor or its settle
 * window, and without any record — the thing that must never happen. PENDING: not due yet, or not
 * settled yet (in flight, a retry waiting, or its record not written yet).
 */
export const AUDIT_OUTCOMES = ['SUCCEEDED', 'FAILED', 'UNKNOWN', 'SKIPPED', 'PENDING', 'MISSING'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One expected occurrence of a job and what became of it. */
export interface AuditedOccurrence {
  scheduledAt: number;
  outcome: AuditOutcome;
  /** SKIPPED: the reason of the skip (MISFIRE, PAUSED, OVERLAP, DST); null otherwise. */
  reason: string | null;
  /** Attempt records of the occurrence (schedule, catch-up, recovery and backfill runs). */
  attempts: number;
  /** The HTTP status of the final attempt, when it got one. */
  statusCode: number | null;
}

/** One attempt record as the audit reads it; a job's rows come ordered by scheduledAt, then as written. */
export interface AttemptRow {
  scheduledAt: number;
  startedAt: number;
  attempt: number;
  outcome: Outcome;
  statusCode: number | null;
}

/** A recorded range of skipped occurrences; a job's ranges come ordered by fromAt. */
export interface SkipRange {
  fromAt: number;
  toAt: number;
  reason: SkipReason;
}

/** What is known of a job at the instant its history was read (one snapshot). */
export interface AuditFacts {
  now: number;
  /**
   * Where the job's current schedule is accounted up to: its durable cursor (every occurrence at
   * or before it has a durable outcome), or the instant the schedule replaced the one before, when
   * that is later.
   */
  cursorAt: number;
  paused: boolean;
  /**
   * The job's last change of spec or status. Before it the schedule may have been another, so an
   * occurrence of the current schedule before it, without any record, is not expected.
   */
  changedAt: number;
  /** Records of occurrences at or before this instant may have been removed by retention. */
  historyHorizon: number;
  /** How long an occurrence may stay unsettled after its instant (see pendingWindowMs). */
  pendingWindowMs: number;
  /**
   * The latest occurrence the running engine accounts for in memory (settled, skipped, in flight
   * or held back, as a catch-up sent one at a time is), read before the records: one past the
   * cursor without a record yet is on its way, however old.
   */
  engineAccountedUpTo: number;
  /** Attempts per occurrence: a failed attempt below this, with a retryable status, may be retried. */
  maxAttempts: number;
}

/**
 * The longest an occurrence of a job may stay without a final record after its instant: every
 * attempt timing out, each retry waiting as long as a target may ask (Retry-After), and with
 * QUEUE_ONE the previous occurrence first; plus `graceMs` for queueing and the group commit.
 */
export function pendingWindowMs(spec: Pick<JobSpec, 'maxAttempts' | 'timeoutMs'> & { policy: Pick<JobPolicy, 'overlapPolicy'> }, graceMs: number): number {
  const settle = spec.maxAttempts * spec.timeoutMs + (spec.maxAttempts - 1) * RETRY_POLICY.maxRetryAfterMs;
  return graceMs + settle * (spec.policy.overlapPolicy === 'QUEUE_ONE' ? 2 : 1);
}

/** Classifies an occurrence with no attempt record; null: not expected (left out). */
function withoutRecord(at: number, skip: SkipRange | undefined, facts: AuditFacts): Pick<AuditedOccurrence, 'outcome' | 'reason'> | null {
  if (skip) return { outcome: 'SKIPPED', reason: skip.reason };
  if (at > facts.now) return { outcome: 'PENDING', reason: null };
  const afterCursor = at > facts.cursorAt;
  if (afterCursor && (facts.now - at <= facts.pendingWindowMs || at <= facts.engineAccountedUpTo)) return { outcome: 'PENDING', reason: null };
  // A paused job's occurrences past its cursor are recorded as skipped (PAUSED) when it resumes.
  if (afterCursor && facts.paused) return { outcome: 'SKIPPED', reason: 'PAUSED' };
  if (at <= facts.historyHorizon || at <= facts.changedAt) return null;
  return { outcome: 'MISSING', reason: null };
}

/** Classifies an occurrence by its final attempt: a failure that may still be retried is PENDING. */
function withRecords(rows: readonly AttemptRow[], facts: AuditFacts): AuditedOccurrence {
  const final = rows.at(-1)!;
  const retryMayFollow =
    final.outcome === 'FAILED' && final.attempt < facts.maxAttempts && isRetryable(final.statusCode) && facts.now - final.startedAt <= facts.pendingWindowMs;
  return {
    scheduledAt: final.scheduledAt,
    outcome: retryMayFollow ? 'PENDING' : final.outcome,
    reason: null,
    attempts: rows.length,
    statusCode: final.statusCode,
  };
}

/**
 * Audits the expected occurrences `instants` (ascending, walked from the job's schedule) against
 * the job's attempt records and skip ranges for the same span. One pass over three sorted lists:
 * no per-occurrence lookup. An execution overrides a skip range (a backfilled skipped occurrence
 * counts as run). Occurrences that are not expected (see AuditFacts) are left out.
 */
export function auditOccurrences(
  instants: readonly number[],
  rows: readonly AttemptRow[],
  skips: readonly SkipRange[],
  facts: AuditFacts,
): AuditedOccurrence[] {
  const audited: AuditedOccurrence[] = [];
  let row = 0;
  let nextSkip = 0;
  let open: SkipRange[] = [];
  for (const at of instants) {
    // Records of instants that are not on the current schedule (an earlier schedule) are passed over.
    while (row < rows.length && rows[row]!.scheduledAt < at) row++;
    const first = row;
    while (row < rows.length && rows[row]!.scheduledAt === at) row++;
    if (row > first) {
      audited.push(withRecords(rows.slice(first, row), facts));
      continue;
    }
    while (nextSkip < skips.length && skips[nextSkip]!.fromAt <= at) open.push(skips[nextSkip++]!);
    if (open.length > 0) open = open.filter((skip) => skip.toAt >= at);
    const classified = withoutRecord(at, open[0], facts);
    if (classified) audited.push({ scheduledAt: at, ...classified, attempts: 0, statusCode: null });
  }
  return audited;
}

/** Settled occurrences: with an execution outcome or deliberately skipped. */
export function isAccounted(outcome: AuditOutcome): boolean {
  return outcome !== 'PENDING' && outcome !== 'MISSING';
}
