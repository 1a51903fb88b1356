/** A reading of the server's execution counter at a server instant. */
export interface CounterSample {
  atMs: number;
  total: number;
}

/** Samples kept: two minutes at the default two-second poll. */
export const SAMPLE_LIMIT = 60;

/** Adds a reading, ignoring repeats of the same instant and starting over when the counter went back (a restart). */
export function appendSample(samples: readonly CounterSample[], sample: CounterSample, limit = SAMPLE_LIMIT): CounterSample[] {
  const last = samples.at(-1);
  if (last && sample.atMs <= last.atMs) return [...samples];
  if (last && sample.total < last.total) return [sample];
  return [...samples, sample].slice(-limit);
}

/** Executions per second between consecutive readings. */
export function ratesOf(samples: readonly CounterSample[]): number[] {
  const rates: number[] = [];
  for (let index = 1; index < samples.length; index += 1) {
    const previous = samples[index - 1]!;
    const current = samples[index]!;
    rates.push(((current.total - previous.total) * 1_000) / (current.atMs - previous.atMs));
  }
  return rates;
}

/** A rate for display: one decimal below ten, whole numbers above. */
export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return '–';
  return perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US');
}
