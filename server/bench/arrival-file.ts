import { readFileSync, writeFileSync } from 'node:fs';
import type { Arrival } from './analyse.ts';

/**
 * Arrivals as the target hands them to the bench: one line per request,
 * `arrivedAt<TAB>scheduledAt<TAB>jobId<TAB>key`, instants in ms (`NaN` when the body had none).
 */
export function writeArrivals(path: string, arrivals: readonly Arrival[]): void {
  const lines = arrivals.map((a) => `${a.arrivedAt}\t${a.scheduledAt}\t${a.jobId}\t${a.key}`);
  writeFileSync(path, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

/** Reads a file written by {@link writeArrivals}. */
export function readArrivals(path: string): Arrival[] {
  const arrivals: Arrival[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const [arrivedAt, scheduledAt, jobId, key] = line.split('\t');
    arrivals.push({ arrivedAt: Number(arrivedAt), scheduledAt: Number(scheduledAt), jobId: jobId ?? '', key: key ?? '' });
  }
  return arrivals;
}
