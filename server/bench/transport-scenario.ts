import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_DIR } from './child-processes.ts';
import { ratio } from './claims.ts';
import type { BenchOptions } from './options.ts';
import { cpuMicrosPerFire, fixed, table } from './report.ts';
import type { RunResult, ScenarioReport } from './run-result.ts';
import { runZeitgeber } from './zeitgeber-scenario.ts';

/** The per-fire transports compared, as the server's TRANSPORT setting names them. */
const TRANSPORTS = ['undici', 'got'] as const;

/**
 * Whether the built server reads a TRANSPORT setting: config.ts is the one module that reads the
 * environment, and a setting it does not declare is ignored, so both runs would use one transport.
 */
function serverReadsTransport(): boolean {
  const config = readFileSync(join(SERVER_DIR, 'dist', 'config.js'), 'utf8');
  return /\bTRANSPORT\s*:/.test(config);
}

function formatPairs(pairs: ReadonlyArray<{ undici: RunResult; got: RunResult }>): string {
  return table(
    ['jobs', 'run', 'undici p99 ms', 'got p99 ms', 'p99 got/undici', 'undici CPU µs/fire', 'got CPU µs/fire', 'CPU got/undici'],
    pairs.map(({ undici, got }) => [
      String(undici.jobs),
      String(undici.repeat),
      fixed(undici.delivery.lag.p99, 0),
      fixed(got.delivery.lag.p99, 0),
      fixed(ratio(got.delivery.lag.p99, undici.delivery.lag.p99), 2),
      fixed(cpuMicrosPerFire(undici), 1),
      fixed(cpuMicrosPerFire(got), 1),
      fixed(ratio(cpuMicrosPerFire(got), cpuMicrosPerFire(undici)), 2),
    ]),
  );
}

/**
 * The transport scenario: the zeitgeber run with the server's per-fire transport set to undici,
 * then to got (env TRANSPORT), for each job count and repeat.
 */
export async function runTransportScenario(options: BenchOptions): Promise<ScenarioReport> {
  const honoured = serverReadsTransport();
  if (!honoured) console.error('bench: transport: the built server does not read TRANSPORT; both runs use its one transport');
  const pairs: Array<{ undici: RunResult; got: RunResult }> = [];
  for (const jobs of options.jobs) {
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      const runs: Partial<Record<(typeof TRANSPORTS)[number], RunResult>> = {};
      for (const transport of TRANSPORTS) {
        console.error(`bench: transport ${transport}, ${jobs} jobs, ${options.seconds} s, run ${repeat}/${options.repeat}…`);
        runs[transport] = await runZeitgeber({
          jobs,
          seconds: options.seconds,
          repeat,
          createConcurrency: options.createConcurrency,
          scenario: 'transport',
          variant: `transport: ${transport}`,
          env: { TRANSPORT: transport },
        });
        console.error(`bench: transport ${transport}: p99 ${runs[transport].delivery.lag.p99 ?? '—'} ms`);
      }
      pairs.push({ undici: runs.undici!, got: runs.got! });
    }
  }
  const note = honoured ? '' : '\n\nThe built server does not read TRANSPORT: both rows measure its one transport, not undici against got.';
  return {
    runs: pairs.flatMap((pair) => [pair.undici, pair.got]),
    sections: [`Transport: the per-fire transport set by TRANSPORT\n\n${formatPairs(pairs)}${note}`],
    problems: [],
  };
}
