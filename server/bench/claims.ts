/** Subscribers move the fire lag p99 by at most this, in ms. */
export const SUBSCRIBERS_P99_CLAIM_MS = 10;
/** GraphQL reads move the fire lag p99 by at most this share, in %. */
export const READ_LOAD_P99_CLAIM_PERCENT = 10;
/** Single REST creates per second. */
export const SINGLE_CREATES_TARGET = 5_000;
/** Jobs per second created through createJobs batches. */
export const BATCH_CREATES_TARGET = 50_000;
/** Server RSS with a million jobs, in bytes. */
export const RSS_TARGET_BYTES = 1_024 * 1_048_576;
/** From a restart's spawn to its first on-time fire, in ms. */
export const FIRST_FIRE_TARGET_MS = 10_000;

/** The change of `after` against `before`, in %; null when either is missing or `before` is 0. */
export function changePercent(before: number | null, after: number | null): number | null {
  if (before === null || after === null || before === 0) return null;
  return ((after - before) / before) * 100;
}

/** `after − before`; null when either is missing. */
export function difference(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}

/** `a / b`; null when either is missing or `b` is 0. */
export function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

/** A table cell for a claim: `yes` when the figure is within the bound, `no` when not, a dash without a figure. */
export function verdict(value: number | null, holds: (value: number) => boolean): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return holds(value) ? 'yes' : 'no';
}
