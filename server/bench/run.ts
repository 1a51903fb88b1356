/**
 * `pnpm bench`: measures the production server firing N every-second jobs at a local target, and
 * a bare undici loop doing the same sends, one after the other; prints a markdown table. Further
 * scenarios (subscribers, create-rate, million, read-load, create-load, transport) print tables of their own.
 * Exits non-zero when a Zeitgeber run misses, duplicates or fails to persist a fire, or a scenario
 * finds a fault (lost events, failed creates or reads), so it is a check too. Options: see
 * options.ts (`pnpm bench -- --help`).
 */
import { deliveryProblems } from './analyse.ts';
import { runCreateLoadScenario, runReadLoadScenario } from './api-load-scenario.ts';
import { runCreateRateScenario } from './create-rate-scenario.ts';
import { runMillionScenario } from './million-scenario.ts';
import { BenchUsageError, parseBenchArgs, USAGE, type BenchOptions, type Scenario } from './options.ts';
import { runReference } from './reference-scenario.ts';
import { formatComparison, formatRuns } from './report.ts';
import type { RunResult, ScenarioReport } from './run-result.ts';
import { runSubscribersScenario } from './subscribers-scenario.ts';
import { runTransportScenario } from './transport-scenario.ts';
import { runZeitgeber } from './zeitgeber-scenario.ts';

/** The scenarios that measure and report on their own. */
const OWN_SCENARIOS: Partial<Record<Scenario, (options: BenchOptions) => Promise<ScenarioReport>>> = {
  subscribers: runSubscribersScenario,
  'create-rate': runCreateRateScenario,
  million: runMillionScenario,
  'read-load': runReadLoadScenario,
  'create-load': runCreateLoadScenario,
  transport: runTransportScenario,
};

function runOne(scenario: 'zeitgeber' | 'reference', jobs: number, repeat: number, options: BenchOptions): Promise<RunResult> {
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

/** The zeitgeber and reference runs, as before: every job count × repeat × scenario. */
async function runFireScenarios(options: BenchOptions, scenarios: ReadonlyArray<'zeitgeber' | 'reference'>): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const jobs of options.jobs) {
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      for (const scenario of scenarios) {
        console.error(`bench: ${scenario}, ${jobs} jobs, ${options.seconds} s, run ${repeat}/${options.repeat}…`);
        const result = await runOne(scenario, jobs, repeat, options);
        console.error(`bench: ${scenario}: ${summary(result)}`);
        results.push(result);
      }
    }
  }
  return results;
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
  const fireScenarios = options.scenarios.filter((s): s is 'zeitgeber' | 'reference' => s === 'zeitgeber' || s === 'reference');
  const results = await runFireScenarios(options, fireScenarios);
  const sections: string[] = [];
  const problems: string[] = [];
  for (const scenario of options.scenarios) {
    const run = OWN_SCENARIOS[scenario];
    if (!run) continue;
    const report = await run(options);
    results.push(...report.runs);
    sections.push(...report.sections);
    problems.push(...report.problems);
  }
  if (results.length > 0) {
    console.log(`\nZeitgeber bench: jobs every second, window of ${options.seconds} s per run\n`);
    console.log(formatRuns(results));
    const comparison = formatComparison(results);
    if (comparison !== '') console.log(`\n${comparison}`);
  }
  for (const section of sections) console.log(`\n${section}`);
  for (const r of results.filter((result) => result.persisted !== null)) {
    for (const problem of deliveryProblems(r.delivery, r.persisted)) problems.push(`${r.variant} ${r.jobs} jobs run ${r.repeat}: ${problem}`);
  }
  for (const problem of problems) console.error(`bench: FAIL ${problem}`);
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench: aborted:', error);
    process.exit(1);
  },
);
