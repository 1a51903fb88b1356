import { z } from 'zod';

const integer = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const schema = z.object({
  PORT: integer(0, 65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, 'must be a SQLite file URL such as file:./data/zeitgeber.db')
    .default('file:./data/zeitgeber.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Default per-call timeout of a job, in ms (a job can set its own). */
  JOB_TIMEOUT_MS: integer(100, 600_000).default(30_000),
  /** Job calls in flight at once across all targets. */
  MAX_IN_FLIGHT: integer(1, 100_000).default(10_000),
  /** Fires waiting for a free slot before new ones fail as "dispatch queue full". */
  MAX_QUEUED_FIRES: integer(0, 10_000_000).default(100_000),
  /** Keep-alive connections per target origin. */
  CONNECTIONS_PER_ORIGIN: integer(1, 10_000).default(256),
  /** Longest a finished execution waits in memory before its batch is written, in ms. */
  WRITE_FLUSH_MS: integer(1, 10_000).default(100),
  /** A batch is written at once when this many records wait. */
  WRITE_MAX_BATCH: integer(1, 100_000).default(5_000),
  /** Records kept in memory while the database refuses writes. */
  WRITE_MAX_QUEUED: integer(1_000, 10_000_000).default(500_000),
  ALERT_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  ALERT_RETRIES: integer(0, 10).default(2),
  ALERT_CONCURRENCY: integer(1, 1_000).default(16),
  ALERT_MAX_QUEUED: integer(1, 1_000_000).default(10_000),
  /** Largest accepted request body, in bytes. */
  BODY_LIMIT_BYTES: integer(1_024, 10_485_760).default(65_536),
  /** Executions kept per job (the newest); 0 keeps all. */
  RETENTION_PER_JOB: integer(0, 10_000_000).default(1_000),
  /** Executions, skips and alert deliveries older than this many hours are removed; 0 keeps them. */
  RETENTION_MAX_AGE_HOURS: integer(0, 876_000).default(720),
  /** How often the background pruner runs one small pass, in ms. */
  RETENTION_INTERVAL_MS: integer(100, 3_600_000).default(5_000),
  /** How long a database call waits for another connection's write lock before failing, in ms. */
  SQLITE_BUSY_TIMEOUT_MS: integer(0, 600_000).default(5_000),
  /** Write execution batches on a worker thread (1) or on the engine's thread (0). */
  WRITER_THREAD: integer(0, 1).default(1),
  /** Fire lag p99 above which /ready answers 503, in ms. */
  READY_MAX_LAG_MS: integer(1, 3_600_000).default(10_000),
  /** Grace period for calls in flight at shutdown, in ms. */
  SHUTDOWN_GRACE_MS: integer(0, 600_000).default(10_000),
});

export type Config = Readonly<z.infer<typeof schema>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, with defaults. A bad value stops the start with a message naming
 * the variable, the value and what is expected. Nothing else reads `process.env`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => key in schema.shape && value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${JSON.stringify(env[name])}: ${issue.message}`;
    });
    throw new ConfigError(`config: invalid environment: ${problems.join('; ')}`);
  }
  return Object.freeze({ ...parsed.data, ...overrides });
}
