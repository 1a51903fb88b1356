import type { RunResult } from './run-result.ts';

/** What a cell shows when there is no figure. */
export const NONE = '—';

/** A number with `digits` decimals; a dash for null or non-finite. */
export function fixed(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? NONE : value.toFixed(digits);
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly string[][]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

/** CPU microseconds per fire received in the window. */
export function cpuMicrosPerFire(result: RunResult): number | null {
  return result.delivery.received === 0 ? null : (result.cpuSeconds * 1e6) / result.delivery.received;
}

/** One markdown row per run: delivery, lag, persistence and cost. */
export function formatRuns(results: readonly RunResult[]): string {
  const header = [
    'scenario', 'jobs', 'run', 'created/s', 'fires expected', 'received', 'missed', 'duplicated',
    'lag p50 ms', 'lag p99 ms', 'lag max ms', 'persisted/received', 'CPU s', 'CPU µs/fire', 'peak RSS MB',
    'target CPU s', 'side load CPU s',
  ];
  const rows = results.map((r) => [
    r.variant,
    String(r.jobs),
    String(r.repeat),
    fixed(r.createdPerSecond, 0),
    String(r.delivery.expected),
    String(r.delivery.received),
    String(r.delivery.missed),
    String(r.delivery.duplicated),
    fixed(r.delivery.lag.p50, 0),
    fixed(r.delivery.lag.p99, 0),
    fixed(r.delivery.lag.max, 0),
    r.persisted === null ? NONE : `${r.persisted.total}/${r.delivery.received}`,
    fixed(r.cpuSeconds, 2),
    fixed(cpuMicrosPerFire(r), 1),
    fixed(r.peakRssBytes / 1_048_576, 0),
    fixed(r.targetCpuSeconds, 2),
    fixed(r.sideLoadCpuSeconds, 2),
  ]);
  return table(header, rows);
}

/**
 * Zeitgeber beside the reference for each (jobs, run) measured in both: p99 lags and CPU per
 * fire, with their ratios (Zeitgeber / reference). Empty when no pair was measured.
 */
export function formatComparison(results: readonly RunResult[]): string {
  const rows: string[][] = [];
  for (const z of results.filter((r) => r.scenario === 'zeitgeber')) {
    const ref = results.find((r) => r.scenario === 'reference' && r.jobs === z.jobs && r.repeat === z.repeat);
    if (!ref) continue;
    const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);
    const zCpu = cpuMicrosPerFire(z);
    const refCpu = cpuMicrosPerFire(ref);
    rows.push([
      String(z.jobs),
      String(z.repeat),
      fixed(z.delivery.lag.p99, 0),
      fixed(ref.delivery.lag.p99, 0),
      fixed(ratio(z.delivery.lag.p99, ref.delivery.lag.p99), 2),
      fixed(zCpu, 1),
      fixed(refCpu, 1),
      fixed(ratio(zCpu, refCpu), 2),
    ]);
  }
  if (rows.length === 0) return '';
  return table(
    ['jobs', 'run', 'Zeitgeber p99 ms', 'reference p99 ms', 'p99 ratio', 'Zeitgeber CPU µs/fire', 'reference CPU µs/fire', 'CPU ratio'],
    rows,
  );
}
