import type { JobPolicy } from './job-policy.ts';
import type { JobSpec } from './job-spec.ts';

/**
 * Most distinct specs kept for sharing. Past it, a spec not yet known is used as given: the
 * table never grows with the number of jobs, only with the number of distinct specs, and deleted
 * jobs leave at most this many specs behind.
 */
export const MAX_SHARED_SPECS = 16_384;
/** Specs whose text (schedule, zone, URLs) is longer than this are used as given, so the table stays small. */
const MAX_SHARED_KEY_LENGTH = 1_024;

/** Shared specs by policy (itself a shared object), then by their other fields' text. */
const shared = new Map<JobPolicy, Map<string, JobSpec>>();
let sharedCount = 0;
/** The shared specs themselves: interning one again is a lookup of the object, not of its text. */
const sharedSpecs = new WeakSet<JobSpec>();

/** `\u0000` never occurs in a validated schedule, zone or URL; `\u0001` stands for "no webhook". */
function keyOf(spec: JobSpec): string {
  return `${spec.schedule}\u0000${spec.timezone}\u0000${spec.api}\u0000${spec.type}\u0000${spec.alertWebhook ?? '\u0001'}\u0000${spec.timeoutMs}\u0000${spec.maxAttempts}`;
}

/**
 * The shared, frozen spec equal to `spec`. A million jobs typically state a few thousand distinct
 * specs (the same URL, delivery and policies, a handful of schedules): sharing them keeps one
 * object and one URL string per distinct spec instead of one per job. Specs are values: nothing
 * changes a spec in place, a job that changes gets another spec.
 */
export function internSpec(spec: JobSpec): JobSpec {
  if (sharedSpecs.has(spec)) return spec;
  const key = keyOf(spec);
  let byKey = shared.get(spec.policy);
  const known = byKey?.get(key);
  if (known !== undefined) return known;
  if (sharedCount >= MAX_SHARED_SPECS || key.length > MAX_SHARED_KEY_LENGTH) return spec;
  if (byKey === undefined) {
    byKey = new Map();
    shared.set(spec.policy, byKey);
  }
  const frozen = Object.freeze({ ...spec });
  byKey.set(key, frozen);
  sharedSpecs.add(frozen);
  sharedCount++;
  return frozen;
}
