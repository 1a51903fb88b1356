import { parseArgs } from 'node:util';

export const SCENARIOS = ['zeitgeber', 'reference'] as const;
/** `zeitgeber`: the production server; `reference`: the bare undici loop (reference.ts). */
export type Scenario = (typeof SCENARIOS)[number];

/** What the bench runs. */
export interface BenchOptions {
  /** Job counts to measure, one run (per scenario and repeat) each. */
  jobs: number[];
  /** Length of the measured window, in whole seconds. */
  seconds: number;
  repeat: number;
  scenarios: Scenario[];
  /** Job creations in flight at once. */
  createConcurrency: number;
  /** Keep-alive connections of the reference's pool (the server's default per origin). */
  connections: number;
}

export class BenchUsageError extends Error {
  constructor(message: string) {
    super(`bench: ${message}\n${USAGE}`);
    this.name = 'BenchUsageError';
  }
}

export const USAGE = `usage: pnpm bench [-- options]
  --jobs <n,n,...>          job counts, each scheduled every second      (default 1000)
  --seconds <n>             measured window, in seconds                  (default 60)
  --repeat <n>              runs per (scenario, job count)               (default 1)
  --scenario <a,b>          zeitgeber and/or reference                   (default both)
  --create-concurrency <n>  job creations in flight                      (default 32)
  --connections <n>         reference pool connections                   (default 256)
  --quick                   harness check: 200 jobs for 10 s unless set otherwise
  --help                    this text`;

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new BenchUsageError(`--${name} must be a positive integer, got "${text}"`);
  return value;
}

function list(text: string): string[] {
  return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

/** Parses the command line; returns null when help was asked for. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      // pnpm forwards a literal `--` before the options.
      args: argv.filter((arg) => arg !== '--'),
      options: {
        jobs: { type: 'string' },
        seconds: { type: 'string' },
        repeat: { type: 'string' },
        scenario: { type: 'string' },
        'create-concurrency': { type: 'string' },
        connections: { type: 'string' },
        quick: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error: unknown) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return null;
  const scenarios = list(values.scenario ?? SCENARIOS.join(','));
  for (const scenario of scenarios) {
    if (!(SCENARIOS as readonly string[]).includes(scenario)) {
      throw new BenchUsageError(`--scenario takes ${SCENARIOS.join(' and/or ')}, got "${scenario}"`);
    }
  }
  const jobs = list(values.jobs ?? (values.quick ? '200' : '1000')).map((text) => positiveInteger('jobs', text));
  if (jobs.length === 0 || scenarios.length === 0) throw new BenchUsageError('--jobs and --scenario need at least one value');
  return {
    jobs,
    seconds: positiveInteger('seconds', values.seconds ?? (values.quick ? '10' : '60')),
    repeat: positiveInteger('repeat', values.repeat ?? '1'),
    scenarios: scenarios as Scenario[],
    createConcurrency: positiveInteger('create-concurrency', values['create-concurrency'] ?? '32'),
    connections: positiveInteger('connections', values.connections ?? '256'),
  };
}
