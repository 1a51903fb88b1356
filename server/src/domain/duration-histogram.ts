/**
 * Execution durations are kept per job as counts in fixed buckets, maintained by the execution
 * writer, so percentiles are served from counters instead of a scan of the history.
 * Upper bounds in ms; the last bucket is open-ended.
 */
export const DURATION_BUCKET_BOUNDS_MS = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000] as const;
export const DURATION_BUCKETS = DURATION_BUCKET_BOUNDS_MS.length + 1;

export function durationBucket(durationMs: number): number {
  for (let i = 0; i < DURATION_BUCKET_BOUNDS_MS.length; i++) {
    if (durationMs <= DURATION_BUCKET_BOUNDS_MS[i]!) return i;
  }
  return DURATION_BUCKET_BOUNDS_MS.length;
}

/**
 * Estimates a percentile (0–100) from bucket counts by linear interpolation inside the bucket
 * that holds it; the open last bucket answers with its lower bound. Null when there are no counts.
 */
export function percentileFromBuckets(counts: readonly number[], percentile: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = (percentile / 100) * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count > 0 && seen + count >= rank) {
      const lower = i === 0 ? 0 : DURATION_BUCKET_BOUNDS_MS[i - 1]!;
      const upper = DURATION_BUCKET_BOUNDS_MS[i];
      if (upper === undefined) return lower;
      return lower + ((rank - seen) / count) * (upper - lower);
    }
    seen += count;
  }
  return DURATION_BUCKET_BOUNDS_MS.at(-1)!;
}
