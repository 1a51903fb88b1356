import { RE2JS } from 're2js';

/**
 * A job's successBodyPattern, compiled for RE2's linear-time matching: a target's answer takes
 * time in proportion to its length whatever the pattern, where JavaScript's backtracking engine
 * can take forever on patterns such as `^(a+)+$`, and with it the engine's thread. The pattern is
 * read as JavaScript's (`\u00e9`, `[^]`, `(?<name>…)` are translated to RE2's forms); what RE2
 * cannot run at all, lookaround and backreferences, is refused.
 */
export type BodyPattern = RE2JS;

/** A named backreference, which the translation would turn into the letters `k<name>`. */
const NAMED_BACKREFERENCE = /\\k</;

/** Compiles a pattern; throws with RE2's reason when it is not one. */
export function compileBodyPattern(source: string): BodyPattern {
  if (NAMED_BACKREFERENCE.test(source)) throw new Error('backreferences (\\k<name>) are not supported');
  return RE2JS.compile(RE2JS.translateRegExp(source));
}
