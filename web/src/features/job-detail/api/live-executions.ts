import type { ExecutionOutcome, ExecutionTrigger } from '../../../utils/execution-labels.ts';
import type { ExecutionEvent, StoredExecution } from './job-detail-documents.ts';

/** An execution as the history shows it: stored, or known so far only from the live feed. */
export interface ExecutionItem {
  /** The occurrence and attempt: the same for a live event and the record written for it. */
  key: string;
  scheduledAt: string;
  startedAt: string;
  lagMs: number;
  statusCode: number | null;
  durationMs: number | null;
  /** RUNNING until the live feed or the stored record says how it ended. */
  outcome: ExecutionOutcome | 'RUNNING';
  error: string | null;
  attempt: number;
  trigger: ExecutionTrigger;
  /** The start of the response body; known once the stored record arrives. */
  responseSnippet: string | null;
  /** True until the stored record replaces the live one. */
  live: boolean;
}

/** Live executions kept at most, newest first. */
export const LIVE_LIMIT = 50;

function keyOf(scheduledAt: string, attempt: number): string {
  return `${Date.parse(scheduledAt)}#${attempt}`;
}

export function fromStored(execution: StoredExecution): ExecutionItem {
  return {
    key: keyOf(execution.scheduledAt, execution.attempt),
    scheduledAt: execution.scheduledAt,
    startedAt: execution.startedAt,
    lagMs: execution.lagMs,
    statusCode: execution.statusCode,
    durationMs: execution.durationMs,
    outcome: execution.outcome,
    error: execution.error,
    attempt: execution.attempt,
    trigger: execution.trigger,
    responseSnippet: execution.responseSnippet,
    live: false,
  };
}

/**
 * Folds one execution event into the live list (newest first, at most LIVE_LIMIT): STARTED adds
 * a running row; SUCCEEDED or FAILED replaces the row of the same occurrence and attempt.
 */
export function applyExecutionEvent(live: readonly ExecutionItem[], event: ExecutionEvent): ExecutionItem[] {
  const item: ExecutionItem = {
    key: keyOf(event.scheduledAt, event.attempt),
    scheduledAt: event.scheduledAt,
    startedAt: event.startedAt,
    lagMs: Date.parse(event.startedAt) - Date.parse(event.scheduledAt),
    statusCode: event.statusCode,
    durationMs: event.durationMs,
    outcome: event.type === 'STARTED' ? 'RUNNING' : event.type,
    error: event.error,
    attempt: event.attempt,
    trigger: event.trigger,
    responseSnippet: null,
    live: true,
  };
  const existing = live.find((candidate) => candidate.key === item.key);
  if (existing && existing.outcome !== 'RUNNING' && item.outcome === 'RUNNING') return [...live];
  const rest = live.filter((candidate) => candidate.key !== item.key);
  return [item, ...rest].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)).slice(0, LIVE_LIMIT);
}

/**
 * The newest page of history with the live rows merged in: a live row is dropped once its stored
 * record is there, or when it is older than everything on a full page (it belongs further down).
 */
export function mergeLiveExecutions(stored: readonly ExecutionItem[], live: readonly ExecutionItem[], pageFull: boolean): ExecutionItem[] {
  const storedKeys = new Set(stored.map((item) => item.key));
  const oldestStored = stored.length > 0 ? Math.min(...stored.map((item) => Date.parse(item.startedAt))) : Number.NEGATIVE_INFINITY;
  const pending = live.filter((item) => !storedKeys.has(item.key) && (!pageFull || Date.parse(item.startedAt) >= oldestStored));
  return [...pending, ...stored].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
}
