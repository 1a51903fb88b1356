import type { ExecutionOutcome } from '../utils/execution-labels.ts';

/** One recent run, as a trend shows it. */
export interface TrendPoint {
  outcome: ExecutionOutcome;
  durationMs: number;
}

/** Bars of a trend: height by duration relative to the slowest run (at least a sliver), oldest first. */
export function trendBars(points: readonly TrendPoint[], height: number): { outcome: ExecutionOutcome; height: number }[] {
  const slowest = Math.max(1, ...points.map((point) => point.durationMs));
  const minimum = Math.max(2, height * 0.15);
  return points.map((point) => ({
    outcome: point.outcome,
    height: Math.max(minimum, (point.durationMs / slowest) * height),
  }));
}

/**
 * The trend in words, for screen readers and the tooltip: "Last 10 runs: 9 succeeded, 1 failed",
 * followed by ", 1 unknown" when some outcomes are unknown.
 */
export function describeTrend(points: readonly TrendPoint[]): string {
  if (points.length === 0) return 'No runs yet';
  const count = (outcome: ExecutionOutcome) => points.filter((point) => point.outcome === outcome).length;
  const runs = points.length === 1 ? 'Last run' : `Last ${points.length} runs`;
  const unknown = count('UNKNOWN');
  return `${runs}: ${count('SUCCEEDED')} succeeded, ${count('FAILED')} failed${unknown > 0 ? `, ${unknown} unknown` : ''}`;
}
