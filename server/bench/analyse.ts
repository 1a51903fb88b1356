/** One request as the target saw it. */
export interface Arrival {
  /** When the request reached the target (`Date.now()` in the target process), in ms. */
  arrivedAt: number;
  jobId: string;
  /** The scheduled instant from the request body, in ms; NaN when the body had none. */
  scheduledAt: number;
  /** The Idempotency-Key header; empty when absent. */
  key: string;
}

/** The whole seconds measured: `[startMs, startMs + seconds * 1000)`. */
export interface MeasurementWindow {
  startMs: number;
  seconds: number;
}

/** Fire lag in ms (arrival at the target − scheduled instant); null when nothing arrived. */
export interface LagSummary {
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/** What one run delivered within its window, compared with what it owed. */
export interface DeliveryAnalysis {
  /** Jobs × seconds in the window. */
  expected: number;
  /** Requests that arrived for an occurrence in the window, duplicates included. */
  received: number;
  /** Distinct (job, second) occurrences of the window that arrived at least once. */
  distinct: number;
  /** Owed (job, second) occurrences that never arrived. */
  missed: number;
  /** (job, second) occurrences that arrived more than once. */
  duplicated: number;
  /** Requests in the window for an unknown job or an instant that is not a whole second. */
  foreign: number;
  /** Requests in the window without an Idempotency-Key, or whose key another occurrence also used. */
  badKeys: number;
  lag: LagSummary;
}

/**
 * The window of a run: the first whole second at least `leadMs` after `readyAt` (the moment the
 * last job existed), for `seconds` seconds.
 */
export function measurementWindow(readyAt: number, seconds: number, leadMs = 2_000): MeasurementWindow {
  return { startMs: Math.ceil((readyAt + leadMs) / 1_000) * 1_000, seconds };
}

/** End of a window (exclusive), in ms. */
export function windowEnd(window: MeasurementWindow): number {
  return window.startMs + window.seconds * 1_000;
}

/**
 * Nearest-rank percentiles of an ascending array (`p` in 0..100); null for an empty array.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Compares the arrivals with the occurrences owed: every job in `jobIds` at every whole second
 * of the window, exactly once. Arrivals scheduled outside the window are ignored.
 */
export function analyseDelivery(arrivals: Iterable<Arrival>, jobIds: readonly string[], window: MeasurementWindow): DeliveryAnalysis {
  const end = windowEnd(window);
  const known = new Set(jobIds);
  const seen = new Map<string, number>();
  const keyOwner = new Map<string, string>();
  const lags: number[] = [];
  let received = 0;
  let foreign = 0;
  let badKeys = 0;
  for (const arrival of arrivals) {
    if (!(arrival.scheduledAt >= window.startMs && arrival.scheduledAt < end)) continue;
    received++;
    lags.push(arrival.arrivedAt - arrival.scheduledAt);
    if (!known.has(arrival.jobId) || arrival.scheduledAt % 1_000 !== 0) {
      foreign++;
      continue;
    }
    const occurrence = `${arrival.jobId}@${arrival.scheduledAt}`;
    seen.set(occurrence, (seen.get(occurrence) ?? 0) + 1);
    const owner = keyOwner.get(arrival.key);
    if (arrival.key === '' || (owner !== undefined && owner !== occurrence)) badKeys++;
    else keyOwner.set(arrival.key, occurrence);
  }
  let duplicated = 0;
  for (const count of seen.values()) if (count > 1) duplicated++;
  const expected = known.size * window.seconds;
  return {
    expected,
    received,
    distinct: seen.size,
    missed: expected - seen.size,
    duplicated,
    foreign,
    badKeys,
    lag: summarizeLags(lags),
  };
}

function summarizeLags(lags: readonly number[]): LagSummary {
  const sorted = Float64Array.from(lags).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length === 0 ? null : sorted[sorted.length - 1]! };
}

/** The fire lag of the arrivals scheduled within any of `windows`. */
export function lagSummary(arrivals: Iterable<Arrival>, windows: readonly MeasurementWindow[]): LagSummary {
  const lags: number[] = [];
  for (const arrival of arrivals) {
    if (windows.some((window) => arrival.scheduledAt >= window.startMs && arrival.scheduledAt < windowEnd(window))) lags.push(arrival.arrivedAt - arrival.scheduledAt);
  }
  return summarizeLags(lags);
}

/** Execution rows the server persisted for occurrences of the window. */
export interface PersistedCount {
  total: number;
  /** Rows whose outcome is a failure. */
  failed: number;
}

/**
 * Why a run fails the bench as a check: every owed occurrence must arrive exactly once, carry its
 * own idempotency key, and (when the run persists) have exactly one successful execution row.
 * Empty when the run is sound.
 */
export function deliveryProblems(delivery: DeliveryAnalysis, persisted: PersistedCount | null): string[] {
  const problems: string[] = [];
  if (delivery.missed > 0) problems.push(`${delivery.missed} of ${delivery.expected} fires missed`);
  if (delivery.duplicated > 0) problems.push(`${delivery.duplicated} fires duplicated`);
  if (delivery.foreign > 0) problems.push(`${delivery.foreign} requests for unknown jobs or instants`);
  if (delivery.badKeys > 0) problems.push(`${delivery.badKeys} requests without their own idempotency key`);
  if (persisted !== null) {
    if (persisted.total !== delivery.expected) problems.push(`${persisted.total} executions persisted for ${delivery.expected} fires owed`);
    if (persisted.failed > 0) problems.push(`${persisted.failed} persisted executions failed`);
  }
  return problems;
}
