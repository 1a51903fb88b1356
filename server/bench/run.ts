/**
 * `pnpm bench`: measures the production server firing N every-second jobs at a local target, and
 * a bare undici loop doing the same sends, one after the other; prints a markdown table. Exits
 * non-zero when a Zeitgeber run misses, duplicates or fails to persist a fire, so it is a check
 * too. Options: see options.ts (`pnpm bench -- --help`).
 */
import { deliveryProblems } from './analyse.ts';
import { BenchUsageError, parseBenchArgs, USAGE, type BenchOptions, type Scenario } from './options.ts';
import { runReference } from './reference-scenario.ts';
import { formatComparison, formatRuns } from './report.ts';
import type { RunResult } from './run-result.ts';
import { runZeitgeber } from './zeitgeber-scenario.ts';

function runOne(scenario: Scenario, jobs: number, repeat: number, options: BenchOptions): Promise<RunResult> {
  const common = { jobs, seconds: options.seconds, repeat };
  return scenario === 'zeitgeber'
    ? runZeitgeber({ ...common, createConcurrency: options.createConcurrency })
    : runReference({ ...common, connections: options.connections });
}

function summary(r: RunResult): string {
  const d = r.delivery;
  const created = r.createdPerSecond === null ? '' : `, created ${r.createdPerSecond.toFixed(0)} jobs/s`;
  return `${d.received}/${d.expected} fires, missed ${d.missed}, duplicated ${d.duplicated}, lag p99 ${d.lag.p99 ?? '—'} ms${created}`;
}

async function main(): Promise<number> {
  let options: BenchOptions | null;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error: unknown) {
    if (!(error instanceof BenchUsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (options === null) {
    console.log(USAGE);
    return 0;
  }
  const results: RunResult[] = [];
  for (const jobs of options.jobs) {
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      for (const scenario of options.scenarios) {
        console.error(`bench: ${scenario}, ${jobs} jobs, ${options.seconds} s, run ${repeat}/${options.repeat}…`);
        const result = await runOne(scenario, jobs, repeat, options);
        console.error(`bench: ${scenario}: ${summary(result)}`);
        results.push(result);
      }
    }
  }
  console.log(`\nZeitgeber bench: jobs every second, window of ${options.seconds} s per run\n`);
  console.log(formatRuns(results));
  const comparison = formatComparison(results);
  if (comparison !== '') console.log(`\n${comparison}`);
  let failed = false;
  for (const r of results.filter((result) => result.scenario === 'zeitgeber')) {
    for (const problem of deliveryProblems(r.delivery, r.persisted)) {
      console.error(`bench: FAIL zeitgeber ${r.jobs} jobs run ${r.repeat}: ${problem}`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench: aborted:', error);
    process.exit(1);
  },
);
