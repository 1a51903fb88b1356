import { z } from 'zod';
import { TARGET_POLICIES } from './domain/target-policy.ts';
import { InvalidSigningSecretError, signingKey } from './domain/webhook-signature.ts';

const integer = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/** A comma-separated list of bearer tokens; each at least 16 characters, as a guess must not find one. */
const tokenList = z
  .string()
  .transform((text) => text.split(',').map((token) => token.trim()).filter((token) => token !== ''))
  .refine((tokens) => tokens.every((token) => token.length >= 16 && !/\s/.test(token)), {
    error: 'must be a comma-separated list of tokens of at least 16 characters without spaces',
  });

const signingSecret = z.string().superRefine((secret, context) => {
  try {
    signingKey(secret);
  } catch (error: unknown) {
    if (!(error instanceof InvalidSigningSecretError)) throw error;
    context.addIssue({ code: 'custom', message: `${error.message} (a Standard Webhooks secret, e.g. whsec_ and 32 random bytes in base64)` });
  }
});

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
  /** Job calls in flight at once to one target origin (scheme, host, port); more wait in the dispatch queue. */
  MAX_IN_FLIGHT_PER_HOST: integer(1, 100_000).default(256),
  /** Failures in a row (no answer, or 5xx) that open an origin's circuit: its calls then fail at once unsent; 0 disables. */
  BREAKER_FAILURES: integer(0, 10_000).default(5),
  /** How long an open circuit refuses calls before one probe may go, in ms. */
  BREAKER_COOLDOWN_MS: integer(100, 3_600_000).default(30_000),
  /** The HTTP client of job calls: undici's Pool per origin, or got (slower; kept selectable to compare). */
  TRANSPORT: z.enum(['undici', 'got']).default('undici'),
  /** Keep-alive connections per target origin. */
  CONNECTIONS_PER_ORIGIN: integer(1, 10_000).default(256),
  /** Longest a finished execution waits in memory before its batch is written, in ms. */
  WRITE_FLUSH_MS: integer(1, 10_000).default(250),
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
  /** Largest accepted GraphQL request body, in bytes: a createJobs batch of 10,000 jobs is about 1 MB. */
  GRAPHQL_BODY_LIMIT_BYTES: integer(1_024, 104_857_600).default(8_388_608),
  /** Executions kept per job (the newest); 0 keeps all. */
  RETENTION_PER_JOB: integer(0, 10_000_000).default(1_000),
  /** Executions, skips and alert deliveries older than this many hours are removed; 0 keeps them. */
  RETENTION_MAX_AGE_HOURS: integer(0, 876_000).default(720),
  /** How often the background pruner runs one small pass, in ms. */
  RETENTION_INTERVAL_MS: integer(100, 3_600_000).default(5_000),
  /** How often the self-audit checks the recent occurrences of the next jobs, in ms; 0 turns it off. */
  AUDIT_INTERVAL_MS: integer(0, 86_400_000).default(60_000),
  /** Jobs the self-audit visits per pass (round robin over all jobs). */
  AUDIT_JOBS_PER_PASS: integer(1, 100_000).default(1_000),
  /** Added to a job's settle window (its attempts' timeouts and retry waits) before an unsettled occurrence counts as missing, in ms. */
  AUDIT_GRACE_MS: integer(0, 3_600_000).default(10_000),
  /** Occurrences a backfill sends per second. */
  BACKFILL_RATE_PER_SECOND: integer(1, 10_000).default(10),
  /** How long a database call waits for another connection's write lock before failing, in ms. */
  SQLITE_BUSY_TIMEOUT_MS: integer(0, 600_000).default(5_000),
  /** Write execution batches, new jobs (while it is busy, or more than 64 at once) and retention passes on a thread of their own (1), or on the engine's thread (0). */
  WRITER_THREAD: integer(0, 1).default(1),
  /**
   * How far, in percent, V8 lets the heap grow past what a full collection left live before the
   * next one; 0 leaves it to V8, which allows up to 4× on a machine with memory to spare.
   */
  HEAP_GROWTH_PERCENT: integer(0, 300).default(50),
  /** Fire lag p99 above which /ready answers 503, in ms. */
  READY_MAX_LAG_MS: integer(1, 3_600_000).default(10_000),
  /** Grace period for calls in flight at shutdown, in ms. */
  SHUTDOWN_GRACE_MS: integer(0, 600_000).default(10_000),
  /** Bearer tokens that may read and change everything; none configured (and no API_READ_TOKEN) leaves the API open. */
  API_TOKEN: tokenList.default([]),
  /** Bearer tokens that may read and subscribe, but not change anything. */
  API_READ_TOKEN: tokenList.default([]),
  /** Whether /metrics asks for a token too (1) or stays open for scrapers (0). */
  METRICS_REQUIRE_TOKEN: integer(0, 1).default(0),
  /** Deepest selection a GraphQL operation may nest (introspection fields are not counted). */
  GRAPHQL_MAX_DEPTH: integer(2, 100).default(12),
  /** Most an operation may cost: each field 1, times the `first` or `count` of the fields above it (use-max-cost). */
  GRAPHQL_MAX_COST: integer(100, 100_000_000).default(100_000),
  /** Live subscriptions (WebSocket and SSE) open at once at most; past it a new one is refused with LIMIT. */
  SUBSCRIBERS_MAX: integer(1, 1_000_000).default(1_000),
  /** Changes (REST POST/PUT, GraphQL mutations) one token (or one client address, without tokens) may make per minute. */
  MUTATION_RATE_PER_MINUTE: integer(1, 10_000_000).default(60_000),
  /** Standard Webhooks secret (`whsec_<base64>`): when set, every job call and alert is signed. */
  SIGNING_SECRET: signingSecret.optional(),
  /** Which addresses job calls and alerts may reach: `default` (no cloud metadata), `public-only`, `allow-all`. */
  TARGET_POLICY: z.enum(TARGET_POLICIES).default('default'),
});

export type Config = Readonly<z.infer<typeof schema>>;

/** Variables whose values never appear in an error message. */
const SECRET_VARIABLES = new Set(['API_TOKEN', 'API_READ_TOKEN', 'SIGNING_SECRET']);

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
      const shown = SECRET_VARIABLES.has(name) ? '(value hidden)' : JSON.stringify(env[name]);
      return `${name}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(`config: invalid environment: ${problems.join('; ')}`);
  }
  return Object.freeze({ ...parsed.data, ...overrides });
}
