import { internSpec } from './intern-spec.ts';
import { checkNewJob, type CheckedSpec } from './job-spec.ts';

/** Most distinct inputs whose checks are kept; past it, the table starts over. */
const MAX_KEPT_CHECKS = 16_384;
/** Inputs whose key would be longer than this are checked every time, so the table stays small. */
const MAX_KEY_LENGTH = 2_048;

/**
 * A text that only inputs with the same fields, in the same order, with the same values, share;
 * null for an input that is not a plain object of strings, finite numbers, booleans and nulls
 * (those are checked every time). Names and strings are written with their length before them,
 * so no value can read as the end of another.
 */
function inputKey(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const prototype = Object.getPrototypeOf(input);
  if (prototype !== Object.prototype && prototype !== null) return null;
  const fields = input as Record<string, unknown>;
  let key = '';
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    key += `${name.length}:${name}`;
    if (typeof value === 'string') key += `s${value.length}:${value}`;
    else if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) key += `n${value};`;
    else if (typeof value === 'boolean') key += value ? 't' : 'f';
    else if (value === null) key += 'z';
    else return null;
    if (key.length > MAX_KEY_LENGTH) return null;
  }
  return key;
}

/**
 * The checks of new jobs (checkNewJob), each distinct input checked once. A batch, or a stream
 * of single creates, states a few distinct jobs many times over: the same URL and policies, a
 * few thousand schedules for a million jobs. Checking one again costs a URL parse, the
 * schedule's and the policy's lookups and the spec's interning, about 3 µs of the engine's
 * thread; a known input costs its key instead. The spec returned is the shared one (internSpec),
 * so the engine and the writer's thread see one object per distinct spec.
 *
 * checkNewJob reads nothing but its input and the default timeout, so an input answers the same
 * every time; an input it refuses is not kept, and is refused again with the same error.
 */
export class NewJobChecks {
  readonly #kept = new Map<string, CheckedSpec>();
  readonly #defaultTimeoutMs: number;

  constructor(defaultTimeoutMs: number) {
    this.#defaultTimeoutMs = defaultTimeoutMs;
  }

  check(input: unknown): CheckedSpec {
    const key = inputKey(input);
    let checked = key === null ? undefined : this.#kept.get(key);
    if (checked === undefined) {
      const { spec, compiled } = checkNewJob(input, this.#defaultTimeoutMs);
      checked = Object.freeze({ spec: internSpec(spec), compiled });
      if (key !== null) {
        if (this.#kept.size >= MAX_KEPT_CHECKS) this.#kept.clear();
        this.#kept.set(key, checked);
      }
    }
    return checked;
  }
}
