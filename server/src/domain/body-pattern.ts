import { RE2JS } from 're2js';

/**
 * A job's successBodyPattern, compiled for RE2's linear-time matching: a target's answer takes
 * time in proportion to its length whatever the pattern, where JavaScript's backtracking engine
 * can take forever on patterns such as `^(a+)+$`, and with it the engine's thread. RE2's syntax
 * has no lookaround and no backreferences; the rest reads as JavaScript's.
 */
export type BodyPattern = RE2JS;

/** Compiles a pattern; throws with RE2's reason when it is not one. */
export function compileBodyPattern(source: string): BodyPattern {
  return RE2JS.compile(source);
}
