import { windowEnd, type Arrival } from './analyse.ts';
import type { Phase } from './phases.ts';

/** The range a p99 change falls in, in %, over `coverage` % of the resamples. */
export interface ChangeInterval {
  low: number;
  high: number;
  coverage: number;
}

export interface IntervalOptions {
  /** Resamples drawn. */
  draws?: number;
  /** Share of the resampled changes the interval holds, in %. */
  coverage?: number;
  /** Seed of the draws: the same arrivals give the same interval. */
  seed?: number;
}

/**
 * Fewest phases with arrivals a side needs for a range: with fewer, the draws hardly differ (with
 * one a side, every draw is the run itself) and the range would show no noise where there is.
 */
export const MIN_PHASES_PER_SIDE = 3;

/** A small seeded generator (mulberry32) of uniform numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The p-th percentile of the values counted in `histogram` (value = index + offset), by the rank rule of analyse.ts. */
function histogramPercentile(histogram: Uint32Array, total: number, offset: number, p: number): number {
  const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)));
  let seen = 0;
  for (let index = 0; index < histogram.length; index++) {
    seen += histogram[index]!;
    if (seen >= rank) return index + offset;
  }
  return histogram.length - 1 + offset;
}

/**
 * How far the machine's noise lets the p99 change between the phases with a side load and those
 * without be told apart: the phases of each side are drawn again with replacement (as many as it
 * has), their lags pooled, and the change of the pooled p99s computed, `draws` times; the interval
 * holds the middle `coverage` % of those changes. Phases are the unit drawn because the lag of one
 * second follows the seconds next to it (a slow stretch of the machine lasts seconds), where
 * phases of 10 s differ by as much with or without the load.
 * Null when a side has fewer than MIN_PHASES_PER_SIDE phases with arrivals. Draws whose p99
 * without the load is 0 (no change to speak of in %) are left out.
 */
export function p99ChangeInterval(arrivals: readonly Arrival[], phases: readonly Phase[], options: IntervalOptions = {}): ChangeInterval | null {
  const { draws = 2_000, coverage = 90, seed = 1 } = options;
  const lagsOf = phases.map((): number[] => []);
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (const arrival of arrivals) {
    const index = phases.findIndex(({ measured }) => arrival.scheduledAt >= measured.startMs && arrival.scheduledAt < windowEnd(measured));
    if (index === -1) continue;
    const lag = Math.round(arrival.arrivedAt - arrival.scheduledAt);
    lagsOf[index]!.push(lag);
    lowest = Math.min(lowest, lag);
    highest = Math.max(highest, lag);
  }
  if (lowest > highest) return null;
  const histograms = lagsOf.map((lags) => {
    const histogram = new Uint32Array(highest - lowest + 1);
    for (const lag of lags) histogram[lag - lowest] = histogram[lag - lowest]! + 1;
    return { histogram, count: lags.length };
  });
  const side = (on: boolean) => histograms.filter((_, index) => phases[index]!.on === on && lagsOf[index]!.length > 0);
  const off = side(false);
  const on = side(true);
  if (off.length < MIN_PHASES_PER_SIDE || on.length < MIN_PHASES_PER_SIDE) return null;

  const random = seeded(seed);
  const pooled = new Uint32Array(highest - lowest + 1);
  const resampledP99 = (drawn: typeof off): number => {
    pooled.fill(0);
    let total = 0;
    for (let i = 0; i < drawn.length; i++) {
      const { histogram, count } = drawn[Math.floor(random() * drawn.length)]!;
      for (let bucket = 0; bucket < histogram.length; bucket++) pooled[bucket] = pooled[bucket]! + histogram[bucket]!;
      total += count;
    }
    return histogramPercentile(pooled, total, lowest, 99);
  };
  const changes: number[] = [];
  for (let draw = 0; draw < draws; draw++) {
    const before = resampledP99(off);
    const after = resampledP99(on);
    if (before !== 0) changes.push(((after - before) / before) * 100);
  }
  if (changes.length === 0) return null;
  const sorted = Float64Array.from(changes).sort();
  const tail = (100 - coverage) / 2;
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { low: at(tail), high: at(100 - tail), coverage };
}
