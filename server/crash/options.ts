import { parseArgs } from 'node:util';
import type { CrashScenarioOptions } from './scenario.ts';

export const USAGE = `Usage: pnpm crash-test [-- options]

Kills the server (kill -9) at random instants under load, restarts it on the same SQLite file,
stops it gracefully, then checks every occurrence against the target's log and the database.

  --jobs N       jobs to create (default 300; half ATLEAST_ONCE, half ATMOST_ONCE)
  --kills N      kill -9 this many times (default 5)
  --seed N       seed of the random up- and downtimes, to replay a run's plan (default: random)
  --dist         run the build (server/dist/main.js) instead of the sources through tsx
  --keep-in DIR  copy the database and the logs into DIR at the end
  --help         print this`;

/** A command line the crash test cannot run with. */
export class CrashUsageError extends Error {
  constructor(message: string) {
    super(`crash: ${message}\n\n${USAGE}`);
    this.name = 'CrashUsageError';
  }
}

/** Up 3–12 s before each kill, down 0.2–3 s: five kills take about a minute. */
const UP_MS = [3_000, 12_000] as const;
const DOWN_MS = [200, 3_000] as const;

function count(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new CrashUsageError(`--${name} must be an integer of at least ${min}, got "${text}"`);
  return value;
}

/** Parses the crash test's arguments; null when help was asked for. */
export function parseCrashArgs(args: readonly string[], randomSeed: () => number): Omit<CrashScenarioOptions, 'onProgress'> | null {
  let values;
  try {
    ({ values } = parseArgs({
      // pnpm forwards the `--` of `pnpm crash-test -- --jobs 40` through the nested filter.
      args: args.filter((arg) => arg !== '--'),
      options: {
        jobs: { type: 'string' },
        kills: { type: 'string' },
        seed: { type: 'string' },
        dist: { type: 'boolean', default: false },
        'keep-in': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error: unknown) {
    throw new CrashUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return null;
  return {
    jobs: count('jobs', values.jobs, 300, 1),
    kills: count('kills', values.kills, 5, 0),
    upMs: UP_MS,
    downMs: DOWN_MS,
    seed: count('seed', values.seed, randomSeed(), 0),
    dist: values.dist,
    ...(values['keep-in'] === undefined ? {} : { keepIn: values['keep-in'] }),
  };
}
