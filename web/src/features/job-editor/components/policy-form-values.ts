import type { DstGapPolicy, DstOverlapPolicy, JobInput, JobPolicyValues, MisfirePolicy, OverlapPolicy } from '../api/job-editor-documents.ts';

/** The policy fields as the form holds them: numbers and patterns as typed, blank for "never" or "any". */
export interface PolicyFormValues {
  misfirePolicy: MisfirePolicy;
  /** Only read for FIRE_ALL. */
  catchUpLimit: string;
  /** Only read for FIRE_ALL. */
  catchUpWindowMs: string;
  overlapPolicy: OverlapPolicy;
  dstGap: DstGapPolicy;
  dstOverlap: DstOverlapPolicy;
  successCodes: string;
  /** Blank: any body counts. */
  successBodyPattern: string;
  failingThreshold: string;
  /** Blank: never paused automatically. */
  autoPauseAfter: string;
  /** Blank: no lag alert. */
  lagAlertMs: string;
}

export type PolicyField = keyof PolicyFormValues;
export type PolicyErrors = Partial<Record<PolicyField, string>>;

/** The policy fields in the order the form shows them. */
export const POLICY_FIELDS: readonly PolicyField[] = [
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
];

/** The server's defaults for a new job. */
export const POLICY_DEFAULTS: Readonly<JobPolicyValues> = {
  misfirePolicy: 'FIRE_ONCE',
  catchUpLimit: 100,
  catchUpWindowMs: 3_600_000,
  overlapPolicy: 'ALLOW',
  dstGap: 'SHIFT',
  dstOverlap: 'FIRST',
  successCodes: '200-299',
  successBodyPattern: null,
  failingThreshold: 3,
  autoPauseAfter: null,
  lagAlertMs: null,
};

/** The ranges the server accepts. */
export const POLICY_LIMITS = {
  catchUpLimit: { min: 1, max: 1_000 },
  catchUpWindowMs: { min: 1_000, max: 7 * 24 * 3_600_000 },
  failingThreshold: { min: 1, max: 1_000 },
  autoPauseAfter: { min: 1, max: 10_000 },
  lagAlertMs: { min: 10, max: 3_600_000 },
  successBodyPatternLength: 500,
} as const;

type IntegerField = 'catchUpLimit' | 'catchUpWindowMs' | 'failingThreshold' | 'autoPauseAfter' | 'lagAlertMs';

/** The form's values for a stored policy. */
export function policyFormValuesOf(policy: JobPolicyValues): PolicyFormValues {
  return {
    misfirePolicy: policy.misfirePolicy,
    catchUpLimit: String(policy.catchUpLimit),
    catchUpWindowMs: String(policy.catchUpWindowMs),
    overlapPolicy: policy.overlapPolicy,
    dstGap: policy.dstGap,
    dstOverlap: policy.dstOverlap,
    successCodes: policy.successCodes,
    successBodyPattern: policy.successBodyPattern ?? '',
    failingThreshold: String(policy.failingThreshold),
    autoPauseAfter: policy.autoPauseAfter === null ? '' : String(policy.autoPauseAfter),
    lagAlertMs: policy.lagAlertMs === null ? '' : String(policy.lagAlertMs),
  };
}

export const DEFAULT_POLICY_FORM: PolicyFormValues = policyFormValuesOf(POLICY_DEFAULTS);

function integerProblem(field: IntegerField, text: string, what: string): string | undefined {
  const { min, max } = POLICY_LIMITS[field];
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) return `Enter a whole number of ${what} from ${min} to ${max}`;
  return undefined;
}

/** Whether `text` lists status codes the way the server reads them: "200-299,304", "2xx". */
function successCodesProblem(text: string): string | undefined {
  if (text.trim() === '') return 'Enter the status codes that count as success, e.g. 200-299';
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (/^[1-5]xx$/i.test(part)) continue;
    const range = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part);
    if (!range) return `"${part}" is not a status code or range: use e.g. 200-299,304 or 2xx`;
    const low = Number(range[1]);
    const high = Number(range[2] ?? range[1]);
    if (low < 100 || high > 599 || low > high) return `"${part}" must lie within 100-599, low to high`;
  }
  return undefined;
}

function patternProblem(text: string): string | undefined {
  if (text.length > POLICY_LIMITS.successBodyPatternLength) return `Keep the pattern under ${POLICY_LIMITS.successBodyPatternLength} characters`;
  try {
    new RegExp(text);
    return undefined;
  } catch (error: unknown) {
    return `Not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Checks the policies as the server will: whole numbers in range, status ranges, a pattern that
 * compiles. The catch-up limit and window only matter, and are only checked, for FIRE_ALL.
 */
export function validatePolicies(values: PolicyFormValues): PolicyErrors {
  const errors: PolicyErrors = {};
  const check = (field: PolicyField, problem: string | undefined) => {
    if (problem !== undefined) errors[field] = problem;
  };
  if (values.misfirePolicy === 'FIRE_ALL') {
    check('catchUpLimit', integerProblem('catchUpLimit', values.catchUpLimit, 'occurrences'));
    check('catchUpWindowMs', integerProblem('catchUpWindowMs', values.catchUpWindowMs, 'milliseconds'));
  }
  check('successCodes', successCodesProblem(values.successCodes));
  if (values.successBodyPattern !== '') check('successBodyPattern', patternProblem(values.successBodyPattern));
  check('failingThreshold', integerProblem('failingThreshold', values.failingThreshold, 'failures'));
  if (values.autoPauseAfter.trim() !== '') check('autoPauseAfter', integerProblem('autoPauseAfter', values.autoPauseAfter, 'failures'));
  if (values.lagAlertMs.trim() !== '') check('lagAlertMs', integerProblem('lagAlertMs', values.lagAlertMs, 'milliseconds'));
  return errors;
}

function optionalInteger(text: string): number | null {
  return text.trim() === '' ? null : Number(text.trim());
}

/** The policy the form describes, as the API takes it. */
function policyOfForm(values: PolicyFormValues): Omit<JobPolicyValues, 'catchUpLimit' | 'catchUpWindowMs'> & Partial<Pick<JobPolicyValues, 'catchUpLimit' | 'catchUpWindowMs'>> {
  return {
    misfirePolicy: values.misfirePolicy,
    ...(values.misfirePolicy === 'FIRE_ALL' ? { catchUpLimit: Number(values.catchUpLimit.trim()), catchUpWindowMs: Number(values.catchUpWindowMs.trim()) } : {}),
    overlapPolicy: values.overlapPolicy,
    dstGap: values.dstGap,
    dstOverlap: values.dstOverlap,
    successCodes: values.successCodes.trim(),
    successBodyPattern: values.successBodyPattern === '' ? null : values.successBodyPattern,
    failingThreshold: Number(values.failingThreshold.trim()),
    autoPauseAfter: optionalInteger(values.autoPauseAfter),
    lagAlertMs: optionalInteger(values.lagAlertMs),
  };
}

/**
 * The policy fields that differ from `current` (the stored job's, or POLICY_DEFAULTS for a new
 * one), so only changes are sent; null switches an optional one off. The catch-up limit and
 * window are only sent with FIRE_ALL, where they apply.
 */
export function policyChanges(current: Readonly<JobPolicyValues>, values: PolicyFormValues): Partial<JobInput> {
  const next = policyOfForm(values);
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(next)) {
    if (value !== current[field as keyof JobPolicyValues]) changes[field] = value;
  }
  return changes as Partial<JobInput>;
}

/** How many policies differ from the defaults: the collapsed section says so. */
export function countCustomPolicies(values: PolicyFormValues): number {
  return Object.keys(policyChanges(POLICY_DEFAULTS, values)).length;
}
