import { parseArgs } from 'node:util';

export const SCENARIOS = ['zeitgeber', 'reference', 'subscribers', 'create-rate', 'million', 'read-load', 'create-load', 'transport'] as const;
/**
 * `zeitgeber`: the production server; `reference`: the bare undici loop (reference.ts);
 * `subscribers`: Zeitgeber with WebSocket subscribers in every other phase of the window; `create-rate`: job creation
 * throughput; `million`: a million sparse jobs, memory and restart; `read-load`: Zeitgeber with
 * GraphQL reads in every other phase of the window; `create-load`: the same with createJobs
 * batches; `transport`: Zeitgeber with TRANSPORT=undici, then TRANSPORT=got.
 */
export type Scenario = (typeof SCENARIOS)[number];

/**
 * How the subscribers scenario's clients follow every execution: `batches` (executionEventBatches,
 * one message per burst) or `events` (executionEvents, one message per event).
 */
export const SUBSCRIPTION_MODES = ['batches', 'events'] as const;
export type SubscriptionMode = (typeof SUBSCRIPTION_MODES)[number];

/** What runs when `--scenario` is not given: the production server beside the bare loop. */
const DEFAULT_SCENARIOS: readonly Scenario[] = ['zeitgeber', 'reference'];
/** Largest createJobs batch the server accepts. */
export const MAX_BATCH_SIZE = 10_000;

/** What the bench runs. */
export interface BenchOptions {
  /** Job counts to measure, one run (per scenario and repeat) each. */
  jobs: number[];
  /** Job counts of the read-load and create-load scenarios: `--jobs` when given, else 2000. */
  apiLoadJobs: number[];
  /** Length of the measured window, in whole seconds. */
  seconds: number;
  repeat: number;
  scenarios: Scenario[];
  /** Job creations in flight at once. */
  createConcurrency: number;
  /** Keep-alive connections of the reference's pool (the server's default per origin). */
  connections: number;
  /** WebSocket subscribers of the subscribers scenario. */
  subscribers: number;
  /** The subscriptions they use, one loaded run each. */
  subscriptionModes: SubscriptionMode[];
  /** Single REST creates of the create-rate scenario, and how many are in flight at once. */
  createCount: number;
  createInFlight: number;
  /** createJobs batches of the create-rate scenario (sent one after the other, then 2 at once), and their size. */
  batches: number;
  batchSize: number;
  /** Jobs registered by the million scenario. */
  millionJobs: number;
  /** GraphQL reads per second of the read-load scenario. */
  readsPerSecond: number;
  /** Inputs per createJobs batch of the create-load scenario. */
  loadBatchSize: number;
}

export class BenchUsageError extends Error {
  constructor(message: string) {
    super(`bench: ${message}\n${USAGE}`);
    this.name = 'BenchUsageError';
  }
}

export const USAGE = `usage: pnpm bench [-- options]
  --scenario <a,b,...>      ${SCENARIOS.join(', ')}
                                                          (default zeitgeber,reference)
  --jobs <n,n,...>          job counts, each scheduled every second      (default 1000; read-load, create-load 2000)
  --seconds <n>             measured window, in seconds                  (default 60)
  --repeat <n>              runs per (scenario, job count)               (default 1)
  --create-concurrency <n>  job creations in flight                      (default 32)
  --connections <n>         reference pool connections                   (default 256)
  --subscribers <n>         subscribers: WebSocket subscribers           (default 100)
  --subscription <a,b>      subscribers: ${SUBSCRIPTION_MODES.join(', ')}   (default batches,events)
  --create-count <n>        create-rate: single REST creates             (default 20000)
  --create-in-flight <n>    create-rate: single creates in flight        (default 16)
  --batches <n>             create-rate: createJobs batches              (default 10)
  --batch-size <n>          create-rate: inputs per batch, at most ${MAX_BATCH_SIZE} (default ${MAX_BATCH_SIZE})
  --million-jobs <n>        million: jobs registered                     (default 1000000)
  --reads-per-second <n>    read-load: GraphQL reads per second          (default 200)
  --load-batch-size <n>     create-load: inputs per createJobs batch, at most ${MAX_BATCH_SIZE} (default ${MAX_BATCH_SIZE})
  --quick                   harness check: 200 jobs for 10 s, 20 subscribers, 2000 creates,
                            2 batches, 20000 million-jobs, unless set otherwise
  --help                    this text`;

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new BenchUsageError(`--${name} must be a positive integer, got "${text}"`);
  return value;
}

function list(text: string): string[] {
  return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

/** The options that take a value. */
const VALUE_OPTIONS = [
  'jobs', 'seconds', 'repeat', 'scenario', 'create-concurrency', 'connections', 'subscribers', 'create-count',
  'create-in-flight', 'batches', 'batch-size', 'million-jobs', 'reads-per-second', 'subscription', 'load-batch-size',
] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

/** Parses the command line; returns null when help was asked for. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      // pnpm forwards a literal `--` before the options.
      args: argv.filter((arg) => arg !== '--'),
      options: {
        ...(Object.fromEntries(VALUE_OPTIONS.map((name) => [name, { type: 'string' }])) as Record<ValueOption, { type: 'string' }>),
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
  const text = (name: ValueOption): string | undefined => values[name];
  const quick = values.quick === true;
  const count = (name: ValueOption, normal: number, short = normal): number =>
    positiveInteger(name, text(name) ?? String(quick ? short : normal));
  const scenarios = list(text('scenario') ?? DEFAULT_SCENARIOS.join(','));
  for (const scenario of scenarios) {
    if (!(SCENARIOS as readonly string[]).includes(scenario)) {
      throw new BenchUsageError(`--scenario takes ${SCENARIOS.join(', ')}, got "${scenario}"`);
    }
  }
  const jobList = (fallback: number): number[] => list(text('jobs') ?? String(quick ? 200 : fallback)).map((part) => positiveInteger('jobs', part));
  const jobs = jobList(1000);
  if (jobs.length === 0 || scenarios.length === 0) throw new BenchUsageError('--jobs and --scenario need at least one value');
  const subscriptionModes = list(text('subscription') ?? SUBSCRIPTION_MODES.join(','));
  for (const mode of subscriptionModes) {
    if (!(SUBSCRIPTION_MODES as readonly string[]).includes(mode)) {
      throw new BenchUsageError(`--subscription takes ${SUBSCRIPTION_MODES.join(', ')}, got "${mode}"`);
    }
  }
  const batchSizeOption = (name: 'batch-size' | 'load-batch-size'): number => {
    const size = count(name, MAX_BATCH_SIZE);
    if (size > MAX_BATCH_SIZE) throw new BenchUsageError(`--${name} must be at most ${MAX_BATCH_SIZE}, got ${size}`);
    return size;
  };
  return {
    jobs,
    apiLoadJobs: jobList(2000),
    seconds: count('seconds', 60, 10),
    repeat: count('repeat', 1),
    scenarios: scenarios as Scenario[],
    createConcurrency: count('create-concurrency', 32),
    connections: count('connections', 256),
    subscribers: count('subscribers', 100, 20),
    subscriptionModes: subscriptionModes as SubscriptionMode[],
    createCount: count('create-count', 20_000, 2_000),
    createInFlight: count('create-in-flight', 16),
    batches: count('batches', 10, 2),
    batchSize: batchSizeOption('batch-size'),
    millionJobs: count('million-jobs', 1_000_000, 20_000),
    readsPerSecond: count('reads-per-second', 200),
    loadBatchSize: batchSizeOption('load-batch-size'),
  };
}
