/**
 * `pnpm crash-test`: kills the server under load and checks its delivery guarantees (see
 * scenario.ts and verify.ts). Exits 0 when every check passes, 1 on any violation or failure to
 * run, 2 on a bad command line.
 */
import { randomInt } from 'node:crypto';
import { CrashUsageError, parseCrashArgs, USAGE } from './options.ts';
import { runCrashScenario, type CrashScenarioResult } from './scenario.ts';

function formatCounts({ counts, seed, durationMs }: CrashScenarioResult): string {
  const rows: Array<[string, string | number]> = [
    ['kills (kill -9)', counts.kills],
    ['jobs', counts.jobs],
    ['occurrences checked', counts.occurrences],
    ['arrivals (requests logged)', counts.arrivals],
    ['occurrences delivered', counts.delivered],
    ['catch-up requests', counts.catchUps],
    ['duplicates ATLEAST_ONCE (allowed)', `${counts.resentOccurrences} occurrences, ${counts.resentRequests} extra requests`],
    ['duplicates ATMOST_ONCE (failures)', counts.atMostOnceDuplicates],
    ['skips (occurrences in Skip ranges)', counts.skipped],
    ['  of them ATLEAST_ONCE due before a kill, never sent', counts.interruptedSkipped],
    ['unknowns (UNKNOWN executions)', `${counts.unknowns} (${counts.unknownsDelivered} of them did arrive)`],
    ['pending (after the final cursor)', counts.pending],
    ['seed', seed],
    ['duration', `${(durationMs / 1_000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseCrashArgs(process.argv.slice(2), () => randomInt(2 ** 31));
  } catch (error: unknown) {
    if (!(error instanceof CrashUsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (options === null) {
    console.log(USAGE);
    return 0;
  }
  console.error(`crash: ${options.jobs} jobs, ${options.kills} kills, seed ${options.seed}, ${options.dist ? 'dist' : 'tsx'} server`);
  const result = await runCrashScenario({ ...options, onProgress: (line) => console.error(`crash: ${line}`) });
  console.log(`\nZeitgeber crash test\n${formatCounts(result)}`);
  if (options.keepIn !== undefined) console.log(`  database and logs copied to ${options.keepIn}`);
  if (result.violations.length === 0) {
    console.log('\ncrash: PASS: no occurrence lost, no at-most-once occurrence sent twice, jobs and database intact');
    return 0;
  }
  console.log(`\ncrash: FAIL: ${result.violations.length} violations`);
  for (const violation of result.violations) console.log(`  [${violation.rule}] ${violation.message}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('crash: aborted:', error);
    process.exit(1);
  },
);
