/** One recent run, as a trend shows it. */
export interface TrendPoint {
  success: boolean;
  durationMs: number;
}

/** Bars of a trend: height by duration relative to the slowest run (at least a sliver), oldest first. */
export function trendBars(points: readonly TrendPoint[], height: number): { success: boolean; height: number }[] {
  const slowest = Math.max(1, ...points.map((point) => point.durationMs));
  const minimum = Math.max(2, height * 0.15);
  return points.map((point) => ({
    success: point.success,
    height: Math.max(minimum, (point.durationMs / slowest) * height),
  }));
}

/** The trend in words, for screen readers and the tooltip: "Last 10 runs: 9 succeeded, 1 failed". */
export function describeTrend(points: readonly TrendPoint[]): string {
  if (points.length === 0) return 'No runs yet';
  const failed = points.filter((point) => !point.success).length;
  const runs = points.length === 1 ? 'Last run' : `Last ${points.length} runs`;
  return `${runs}: ${points.length - failed} succeeded, ${failed} failed`;
}
