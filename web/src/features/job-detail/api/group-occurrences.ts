import type { AuditedOccurrence, AuditOutcome } from './audit-documents.ts';

/** A run of consecutive occurrences with the same outcome and reason, shown as one line. */
export interface OccurrenceGroup {
  outcome: AuditOutcome;
  reason: string | null;
  /** The first and last scheduled instants of the run (the same for a run of one). */
  first: string;
  last: string;
  count: number;
  /** The HTTP status when every occurrence of the run had the same one, else null. */
  statusCode: number | null;
  /** The most attempts any occurrence of the run took. */
  attempts: number;
}

/**
 * Compresses an audit's occurrences (in schedule order) into runs of the same outcome and
 * reason, so 300 misfire skips read as one line and a MISSING one between successes stands out.
 */
export function groupOccurrences(occurrences: readonly AuditedOccurrence[]): OccurrenceGroup[] {
  const groups: OccurrenceGroup[] = [];
  let current: OccurrenceGroup | undefined;
  for (const occurrence of occurrences) {
    if (current && current.outcome === occurrence.outcome && current.reason === occurrence.reason) {
      if (current.statusCode !== occurrence.statusCode) current.statusCode = null;
      current.last = occurrence.scheduledAt;
      current.count += 1;
      current.attempts = Math.max(current.attempts, occurrence.attempts);
      continue;
    }
    current = {
      outcome: occurrence.outcome,
      reason: occurrence.reason,
      first: occurrence.scheduledAt,
      last: occurrence.scheduledAt,
      count: 1,
      statusCode: occurrence.statusCode,
      attempts: occurrence.attempts,
    };
    groups.push(current);
  }
  return groups;
}
