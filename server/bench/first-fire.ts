import type { Arrival } from './analyse.ts';

/** A fire that arrived at the target no later than `onTimeMs` after its scheduled instant. */
export interface OnTimeFire {
  arrivedAt: number;
  scheduledAt: number;
  lagMs: number;
}

/**
 * The first fire to arrive on time (lag ≤ `onTimeMs`) for an instant scheduled at or after
 * `since` (e.g. a server's spawn): catch-up fires of instants missed while it was down do not
 * count, as they are late by design. Null when none arrived.
 */
export function firstOnTimeFire(arrivals: Iterable<Arrival>, since: number, onTimeMs: number): OnTimeFire | null {
  let first: OnTimeFire | null = null;
  for (const arrival of arrivals) {
    const lagMs = arrival.arrivedAt - arrival.scheduledAt;
    if (!(arrival.scheduledAt >= since) || lagMs > onTimeMs) continue;
    if (first === null || arrival.arrivedAt < first.arrivedAt) first = { arrivedAt: arrival.arrivedAt, scheduledAt: arrival.scheduledAt, lagMs };
  }
  return first;
}
