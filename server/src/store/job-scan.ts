import type { Database } from 'better-sqlite3';
import { policyOf, type DstGapPolicy, type DstOverlapPolicy, type JobPolicy, type MisfirePolicy, type OverlapPolicy } from '../domain/job-policy.ts';
import { DELIVERY_TYPES, type DeliveryType, type JobSpec, type JobStatus } from '../domain/job-spec.ts';
import type { OwedOccurrence } from '../domain/occurrence.ts';

/** What the engine needs of a stored job to schedule it. */
export interface ScheduleRow {
  id: string;
  spec: JobSpec;
  status: JobStatus;
  /** Every occurrence at or before this instant has a durable outcome. */
  cursorAt: number;
  /** The latest occurrence that may have been sent (its intent is committed before the send). */
  intentAt: number | null;
  /** When the schedule was last replaced: occurrences of the current one start after it. */
  rescheduledAt: number | null;
  /**
   * Occurrences of a replaced schedule or delivery type that had no outcome when it was replaced,
   * ascending. Those after the cursor are owed after a crash, as the ones up to the intent are.
   */
  owed: readonly OwedOccurrence[];
}

const isOwedOccurrence = (value: unknown): value is OwedOccurrence =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as OwedOccurrence).at) &&
  (DELIVERY_TYPES as readonly unknown[]).includes((value as OwedOccurrence).type);

/**
 * The owed occurrences as stored (a JSON array of `{at, type}`, or null for none). A value that is
 * not such an array, which only a hand-edited row can hold, reads as none: one damaged row must
 * not keep every job from being restored.
 */
export function owedOccurrences(stored: string | null): OwedOccurrence[] {
  if (stored === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? parsed.filter(isOwedOccurrence) : [];
}

type RawRow = [
  id: string,
  schedule: string,
  timezone: string,
  api: string,
  type: string,
  alertWebhook: string | null,
  timeoutMs: number,
  maxAttempts: number,
  misfirePolicy: MisfirePolicy,
  catchUpLimit: number,
  catchUpWindowMs: number,
  overlapPolicy: OverlapPolicy,
  dstGap: DstGapPolicy,
  dstOverlap: DstOverlapPolicy,
  successCodes: string,
  successBodyPattern: string | null,
  failingThreshold: number,
  autoPauseAfter: number | null,
  lagAlertMs: number | null,
  status: string,
  cursorAt: number,
  intentAt: number | null,
  rescheduledAt: number | null,
  owedAt: string | null,
];

/** Where the policy columns sit in a row (see the SELECT below). */
const POLICY_COLUMNS_FROM = 8;
const POLICY_COLUMNS_TO = 18;

/** Whether two rows state the same policy: jobs mostly do, and comparing is cheaper than policyOf's key. */
function samePolicyColumns(a: RawRow, b: RawRow): boolean {
  for (let i = POLICY_COLUMNS_FROM; i <= POLICY_COLUMNS_TO; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Streams every job's scheduling fields straight from SQLite, one row at a time (rows as arrays,
 * the cheapest form): a restart with a million jobs neither builds a million Prisma objects nor
 * holds them all at once. Strings that repeat across jobs (timezone, type, status) are shared.
 */
export function* scanScheduleRows(db: Database): Generator<ScheduleRow> {
  const rows = db
    .prepare(
      `SELECT "id", "schedule", "timezone", "api", "type", "alertWebhook", "timeoutMs", "maxAttempts",
        "misfirePolicy", "catchUpLimit", "catchUpWindowMs", "overlapPolicy", "dstGap", "dstOverlap",
        "successCodes", "successBodyPattern", "failingThreshold", "autoPauseAfter", "lagAlertMs",
        "status", "cursorAt", "intentAt", "rescheduledAt", "owedAt" FROM "Job"`,
    )
    .raw()
    .iterate() as IterableIterator<RawRow>;
  const shared = new Map<string, string>();
  const intern = (text: string): string => {
    const known = shared.get(text);
    if (known !== undefined) return known;
    shared.set(text, text);
    return text;
  };
  let previous: { row: RawRow; policy: JobPolicy } | null = null;
  for (const row of rows) {
    const [
      id, schedule, timezone, api, type, alertWebhook, timeoutMs, maxAttempts,
      misfirePolicy, catchUpLimit, catchUpWindowMs, overlapPolicy, dstGap, dstOverlap,
      successCodes, successBodyPattern, failingThreshold, autoPauseAfter, lagAlertMs, status, cursorAt, intentAt,
      rescheduledAt, owedAt,
    ] = row;
    const policy: JobPolicy =
      previous !== null && samePolicyColumns(row, previous.row)
        ? previous.policy
        : policyOf({
            misfirePolicy, catchUpLimit, catchUpWindowMs, overlapPolicy, dstGap, dstOverlap,
            successCodes, successBodyPattern, failingThreshold, autoPauseAfter, lagAlertMs,
          });
    previous = { row, policy };
    yield {
      id,
      spec: { schedule, timezone: intern(timezone), api, type: intern(type) as DeliveryType, alertWebhook, timeoutMs, maxAttempts, policy },
      status: intern(status) as JobStatus,
      cursorAt,
      intentAt,
      rescheduledAt,
      owed: owedOccurrences(owedAt),
    };
  }
}
