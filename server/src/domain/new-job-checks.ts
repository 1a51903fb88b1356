import { internSpec } from './intern-spec.ts';
import { checkNewJob, type CheckedSpec } from './job-spec.ts';

/** Most distinct inputs whose checks are kept; past it, the table starts over. */
const MAX_KEPT_CHECKS = 16_384;
/**
 * Inputs whose key would be longer than this are checked every time, so the table stays small
 * (a job's usual fields make a key of 100–200 characters).
 */
const MAX_KEY_LENGTH = 512;

/** The names and values inputKey read, in its order: what a check of its key is made on. */
const readNames: string[] = [];
const readValues: unknown[] = [];
/** Whether inputKey is reading an input: a getter of it that checks another input gets no key. */
let reading = false;

/**
 * A text that only inputs with the same fields, in the same order, with the same values, share;
 * null for an input that is not a plain object of strings, finite numbers but −0, booleans and
 * nulls (those are checked every time). Names and strings are written with their length before
 * them, so no value can read as the end of another. Each value is read once, into readNames and
 * readValues (a getter that checks another input meanwhile gets that one checked without a key).
 */
function inputKey(input: unknown): string | null {
  if (reading) return null;
  reading = true;
  try {
    return readKey(input);
  } finally {
    reading = false;
  }
}

function readKey(input: unknown): string | null {
  readNames.length = 0;
  readValues.length = 0;
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
    readNames.push(name);
    readValues.push(value);
  }
  return key;
}

/**
 * The input as inputKey read it: its own enumerable fields, each value as read once, on an object
 * with nothing inherited. A getter, or a field inherited, cannot then give the check other values
 * than the key was made of.
 */
function readInput(): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null);
  for (let index = 0; index < readNames.length; index++) copy[readNames[index]!] = readValues[index];
  readNames.length = 0;
  readValues.length = 0;
  return copy;
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
 * shared table does not), made on the input as its key read it. An input refused is not kept,
 * and is refused again with the same error.
 */
export class NewJobChecks {
  readonly #kept = new Map<string, CheckedSpec>();
  readonly #defaultTimeoutMs: number;

  constructor(defaultTimeoutMs: number) {
    this.#defaultTimeoutMs = defaultTimeoutMs;
  }

  check(input: unknown): CheckedSpec {
    const key = inputKey(input);
    const known = key === null ? undefined : this.#kept.get(key);
    if (known !== undefined) return known;
    const { spec, compiled } = checkNewJob(key === null ? input : readInput(), this.#defaultTimeoutMs);
    // A fresh spec: internSpec answers another object exactly when it shares it.
    const shared = internSpec(spec);
    const checked = Object.freeze({ spec: shared, compiled });
    if (key !== null && shared !== spec) {
      if (this.#kept.size >= MAX_KEPT_CHECKS) this.#kept.clear();
      this.#kept.set(key, checked);
    }
    return checked;
  }
}
