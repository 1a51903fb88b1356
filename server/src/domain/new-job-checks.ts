import { internSpec } from './intern-spec.ts';
import { checkNewJob, type CheckedSpec } from './job-spec.ts';

/** Most distinct inputs whose checks are kept; past it, the table starts over. */
const MAX_KEPT_CHECKS = 16_384;
/**
 * Inputs whose key would be longer than this are checked every time, so the table stays small
 * (a job's usual fields make a key of 100–200 characters).
 */
const MAX_KEY_LENGTH = 512;

/** An input as read once: a key that only equal inputs share, and the fields the key was made of. */
interface ReadInput {
  key: string;
  /** The input's own enumerable fields, each value as read for the key, with nothing inherited. */
  fields: Record<string, unknown>;
}

/**
 * Reads a plain object of strings, finite numbers but −0, booleans and nulls once, field by field;
 * null for any other input (those are checked every time, as given). Names and strings are
 * written into the key with their length before them, so no value can read as the end of
 * another. The input is then checked as read: a getter, or a field inherited, cannot give the
 * check other values than the key was made of.
 */
function readInput(input: unknown): ReadInput | null {
  if (typeof input !== 'object' || input === null) return null;
  const prototype = Object.getPrototypeOf(input);
  if (prototype !== Object.prototype && prototype !== null) return null;
  const given = input as Record<string, unknown>;
  const fields: Record<string, unknown> = Object.create(null);
  let key = '';
  for (const name of Object.keys(given)) {
    const value = given[name];
    key += `${name.length}:${name}`;
    if (typeof value === 'string') key += `s${value.length}:${value}`;
    else if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) key += `n${value};`;
    else if (typeof value === 'boolean') key += value ? 't' : 'f';
    else if (value === null) key += 'z';
    else return null;
    if (key.length > MAX_KEY_LENGTH) return null;
    fields[name] = value;
  }
  return { key, fields };
}

/**
 * The checks of new jobs (checkNewJob), each input checked once while its check is kept. A
 * batch, or a stream of single creates, states a few distinct jobs many times over: the same
 * URL and policies, a few thousand schedules for a million jobs. Checking one again costs a URL
 * parse, the schedule's and the policy's lookups and the spec's interning, about 3 µs of the
 * engine's thread; an input equal to one checked before (the same fields, in the same order)
 * costs its key instead. The spec returned is the shared one (internSpec), so the engine and the
 * writer's thread see one object per distinct spec.
 *
 * checkNewJob reads nothing but its input and the default timeout, so an input answers the same
 * every time. What is kept: checks whose spec internSpec shares (so the table holds no spec the
 * shared table does not), made on the input as read for its key. An input refused is not kept,
 * and is refused again with the same error.
 */
export class NewJobChecks {
  readonly #kept = new Map<string, CheckedSpec>();
  readonly #defaultTimeoutMs: number;

  constructor(defaultTimeoutMs: number) {
    this.#defaultTimeoutMs = defaultTimeoutMs;
  }

  check(input: unknown): CheckedSpec {
    const read = readInput(input);
    const known = read === null ? undefined : this.#kept.get(read.key);
    if (known !== undefined) return known;
    const { spec, compiled } = checkNewJob(read === null ? input : read.fields, this.#defaultTimeoutMs);
    // A fresh spec: internSpec answers another object exactly when it shares it.
    const shared = internSpec(spec);
    const checked = Object.freeze({ spec: shared, compiled });
    if (read !== null && shared !== spec) {
      if (this.#kept.size >= MAX_KEPT_CHECKS) this.#kept.clear();
      this.#kept.set(read.key, checked);
    }
    return checked;
  }
}
