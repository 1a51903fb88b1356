import { UNKNOWN_OUTCOME_EXPLANATION, type ExecutionOutcome } from '../utils/execution-labels.ts';

const BADGE: Record<ExecutionOutcome, { label: string; tone: string }> = {
  SUCCEEDED: { label: 'Succeeded', tone: 'success' },
  FAILED: { label: 'Failed', tone: 'failure' },
  UNKNOWN: { label: 'Unknown', tone: 'unknown' },
};

/**
 * An execution's outcome as a badge, with the HTTP status when there was one. An unknown outcome
 * is neither green nor red, and explains itself in its tooltip.
 */
export function OutcomeBadge({ outcome, statusCode }: { outcome: ExecutionOutcome | null; statusCode?: number | null }) {
  if (outcome === null) return <span className="badge badge--none">No runs yet</span>;
  const { label, tone } = BADGE[outcome];
  return (
    <span className={`badge badge--${tone}`} title={outcome === 'UNKNOWN' ? UNKNOWN_OUTCOME_EXPLANATION : undefined}>
      {label}
      {statusCode !== undefined && statusCode !== null && <span className="badge__detail"> · {statusCode}</span>}
    </span>
  );
}
