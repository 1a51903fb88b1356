import { compileBodyPattern } from './body-pattern.ts';
import { ValidationError } from './errors.ts';

/** What happens to occurrences missed while the service was down, the job paused, or the engine behind. */
export const MISFIRE_POLICIES = ['FIRE_ONCE', 'FIRE_ALL', 'SKIP'] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

/** What happens when an occurrence falls due while the job's previous one is still in flight. */
export const OVERLAP_POLICIES = ['ALLOW', 'SKIP', 'QUEUE_ONE'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/** A local time that does not exist (spring forward): run at the shifted instant, or skip it. */
export const DST_GAP_POLICIES = ['SHIFT', 'SKIP'] as const;
export type DstGapPolicy = (typeof DST_GAP_POLICIES)[number];

/** A local time that happens twice (fall back): run on the first, the last, or both. */
export const DST_OVERLAP_POLICIES = ['FIRST', 'LAST', 'BOTH'] as const;
export type DstOverlapPolicy = (typeof DST_OVERLAP_POLICIES)[number];

/** An inclusive range of HTTP status codes that count as success. */
export type StatusRange = readonly [number, number];

/**
 * How a job treats misfires, overlaps, DST transitions, responses and failures. Policies are
 * interned: jobs with the same policy share one frozen object, so a million jobs cost one pointer
 * each.
 */
export interface JobPolicy {
  readonly misfirePolicy: MisfirePolicy;
  /** FIRE_ALL: most missed occurrences run on catch-up; older ones are recorded as skipped. */
  readonly catchUpLimit: number;
  /** FIRE_ALL: only occurrences missed within this many ms before now run on catch-up. */
  readonly catchUpWindowMs: number;
  readonly overlapPolicy: OverlapPolicy;
  readonly dstGap: DstGapPolicy;
  readonly dstOverlap: DstOverlapPolicy;
  /** Status codes counted as success, normalised, e.g. "200-299" or "200-299,304". */
  readonly successCodes: string;
  /** The same ranges, parsed. */
  readonly successRanges: readonly StatusRange[];
  /** A regular expression the response body must match to count as success; null: any body. */
  readonly successBodyPattern: string | null;
  /** Consecutive failures that raise JOB_FAILING. */
  readonly failingThreshold: number;
  /** Consecutive failures after which the job is paused (JOB_AUTO_PAUSED); null: never. */
  readonly autoPauseAfter: number | null;
  /** Fire lag above which JOB_LAGGING is raised, in ms; null: never. */
  readonly lagAlertMs: number | null;
}

export const POLICY_LIMITS = {
  catchUpLimit: { min: 1, max: 1_000, default: 100 },
  catchUpWindowMs: { min: 1_000, max: 7 * 24 * 3_600_000, default: 3_600_000 },
  failingThreshold: { min: 1, max: 1_000, default: 3 },
  autoPauseAfter: { min: 1, max: 10_000 },
  lagAlertMs: { min: 10, max: 3_600_000 },
  successBodyPatternLength: 500,
} as const;

/** The fields a client may send, flat, next to the job's other fields. */
export const POLICY_FIELDS = [
  'misfirePolicy',
  'catchUpLimit',
  'catchUpWindowMs',
  'overlapPolicy',
  'dstGap',
  'dstOverlap',
  'successCodes',
  'successBodyPattern',
  'failingThreshold',
  'autoPauseAfter',
  'lagAlertMs',
] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** The stored and displayed form of a policy: everything but the parsed ranges. */
export type PolicyValues = Omit<JobPolicy, 'successRanges'>;

const DEFAULT_VALUES: PolicyValues = {
  misfirePolicy: 'FIRE_ONCE',
  catchUpLimit: POLICY_LIMITS.catchUpLimit.default,
  catchUpWindowMs: POLICY_LIMITS.catchUpWindowMs.default,
  overlapPolicy: 'ALLOW',
  dstGap: 'SHIFT',
  dstOverlap: 'FIRST',
  successCodes: '200-299',
  successBodyPattern: null,
  failingThreshold: POLICY_LIMITS.failingThreshold.default,
  autoPauseAfter: null,
  lagAlertMs: null,
};

const interned = new Map<string, JobPolicy>();

function keyOf(values: PolicyValues): string {
  return POLICY_FIELDS.map((field) => String(values[field])).join('\u0000');
}

/**
 * The shared policy object for these values. Values are trusted (validated on the way in, or
 * read back from the database); the status ranges are parsed once per distinct policy.
 */
export function policyOf(values: PolicyValues): JobPolicy {
  const key = keyOf(values);
  const known = interned.get(key);
  if (known) return known;
  const policy: JobPolicy = Object.freeze({ ...values, successRanges: Object.freeze(parseStatusRanges(values.successCodes)) });
  interned.set(key, policy);
  return policy;
}

export const DEFAULT_POLICY: JobPolicy = policyOf(DEFAULT_VALUES);

/** The policy's values as stored, one column each (the parsed ranges are derived). */
export function policyValues(policy: JobPolicy): PolicyValues {
  const { successRanges: _derived, ...values } = policy;
  return values;
}

/** Whether `status` counts as success under the policy's ranges. */
export function isSuccessStatus(policy: JobPolicy, status: number): boolean {
  for (const [low, high] of policy.successRanges) if (status >= low && status <= high) return true;
  return false;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  return typeof value === 'number' ? String(value) : typeof value;
}

/**
 * Parses "200-299,304" style status ranges (also "2xx"). Throws a ValidationError naming the
 * first bad part.
 */
export function parseStatusRanges(text: string): StatusRange[] {
  const ranges: StatusRange[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const family = /^([1-5])xx$/i.exec(part);
    const range = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part);
    let low: number;
    let high: number;
    if (family) {
      low = Number(family[1]) * 100;
      high = low + 99;
    } else if (range) {
      low = Number(range[1]);
      high = Number(range[2] ?? range[1]);
    } else {
      throw new ValidationError('successCodes', `"successCodes" must list status codes or ranges like "200-299,304" or "2xx", got ${describe(part)}`);
    }
    if (low < 100 || high > 599 || low > high) {
      throw new ValidationError('successCodes', `"successCodes" range ${describe(part)} must lie within 100-599, low to high`);
    }
    ranges.push([low, high]);
  }
  return ranges;
}

function normaliseRanges(ranges: readonly StatusRange[]): string {
  return ranges.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(',');
}

function checkEnum<T extends string>(field: PolicyField, allowed: readonly T[], value: unknown): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(field, `"${field}" must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

function checkInt(field: PolicyField, limits: { min: number; max: number }, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < limits.min || value > limits.max) {
    throw new ValidationError(field, `"${field}" must be an integer between ${limits.min} and ${limits.max}, got ${describe(value)}`);
  }
  return value;
}

function checkPattern(value: unknown): string | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'string') throw new ValidationError('successBodyPattern', `"successBodyPattern" must be a string, got ${describe(value)}`);
  if (value.length > POLICY_LIMITS.successBodyPatternLength) {
    throw new ValidationError('successBodyPattern', `"successBodyPattern" is longer than ${POLICY_LIMITS.successBodyPatternLength} characters`);
  }
  try {
    compileBodyPattern(value);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError('successBodyPattern', `"successBodyPattern" is not a valid regular expression (RE2 syntax: no lookaround, no backreferences): ${reason}`);
  }
  return value;
}

/** Fields that may be null to switch the feature off. */
const NULLABLE: ReadonlySet<PolicyField> = new Set(['successBodyPattern', 'autoPauseAfter', 'lagAlertMs']);

/**
 * Validates the policy fields present in `input` on top of `current` (DEFAULT_POLICY for a new
 * job): absent fields keep their value, null switches an optional feature off. An input with none
 * of them keeps `current` itself, with nothing to copy or look up.
 */
export function checkPolicy(current: JobPolicy, input: Record<string, unknown>): JobPolicy {
  if (!POLICY_FIELDS.some((field) => input[field] !== undefined)) return current;
  const values: { -readonly [K in keyof PolicyValues]: PolicyValues[K] } = { ...current };
  for (const field of POLICY_FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    if (value === null && !NULLABLE.has(field)) throw new ValidationError(field, `"${field}" cannot be null`);
    switch (field) {
      case 'misfirePolicy':
        values.misfirePolicy = checkEnum(field, MISFIRE_POLICIES, value);
        break;
      case 'overlapPolicy':
        values.overlapPolicy = checkEnum(field, OVERLAP_POLICIES, value);
        break;
      case 'dstGap':
        values.dstGap = checkEnum(field, DST_GAP_POLICIES, value);
        break;
      case 'dstOverlap':
        values.dstOverlap = checkEnum(field, DST_OVERLAP_POLICIES, value);
        break;
      case 'catchUpLimit':
        values.catchUpLimit = checkInt(field, POLICY_LIMITS.catchUpLimit, value);
        break;
      case 'catchUpWindowMs':
        values.catchUpWindowMs = checkInt(field, POLICY_LIMITS.catchUpWindowMs, value);
        break;
      case 'failingThreshold':
        values.failingThreshold = checkInt(field, POLICY_LIMITS.failingThreshold, value);
        break;
      case 'autoPauseAfter':
        values.autoPauseAfter = value === null ? null : checkInt(field, POLICY_LIMITS.autoPauseAfter, value);
        break;
      case 'lagAlertMs':
        values.lagAlertMs = value === null ? null : checkInt(field, POLICY_LIMITS.lagAlertMs, value);
        break;
      case 'successCodes':
        if (typeof value !== 'string') throw new ValidationError(field, `"successCodes" must be a string, got ${describe(value)}`);
        values.successCodes = normaliseRanges(parseStatusRanges(value));
        break;
      case 'successBodyPattern':
        values.successBodyPattern = checkPattern(value);
        break;
    }
  }
  return policyOf(values);
}
