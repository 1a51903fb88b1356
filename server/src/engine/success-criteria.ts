import { compileBodyPattern, type BodyPattern } from '../domain/body-pattern.ts';
import { isSuccessStatus, type JobPolicy } from '../domain/job-policy.ts';
import type { OutboundResult } from './transport.ts';

/** Characters of the body kept with an execution (Execution.responseSnippet): the start of what was read. */
export const RESPONSE_SNIPPET_CHARS = 1_024;

/**
 * Each distinct policy's body pattern, compiled once (policies are interned, so few entries); the
 * reason instead for a pattern RE2 refuses, which only a job stored before patterns were checked
 * against RE2 can have.
 */
const compiledPatterns = new WeakMap<JobPolicy, BodyPattern | string>();

function bodyPattern(policy: JobPolicy, source: string): BodyPattern | string {
  let pattern = compiledPatterns.get(policy);
  if (pattern === undefined) {
    try {
      pattern = compileBodyPattern(source);
    } catch (error: unknown) {
      pattern = `successBodyPattern cannot be matched: ${error instanceof Error ? error.message : String(error)}`;
    }
    compiledPatterns.set(policy, pattern);
  }
  return pattern;
}

/**
 * Whether a response's body is worth reading: the policy has a body pattern (it decides the
 * outcome), or the status already failed (the body explains why). A plain success discards it,
 * so the common path reads and keeps no body bytes.
 */
export function wantsResponseBody(policy: JobPolicy, statusCode: number): boolean {
  return policy.successBodyPattern !== null || !isSuccessStatus(policy, statusCode);
}

/**
 * Judges an attempt by the job's success criteria: the status must lie in successCodes and, when
 * successBodyPattern is set, the first BODY_PREFIX_BYTES of the body must match it. Returns null
 * for a success, else the reason: the transport's error, `HTTP <status>` for an error status
 * (400 and up), or which criterion an otherwise fine answer missed.
 */
export function judgeResponse(policy: JobPolicy, result: OutboundResult): string | null {
  const status = result.statusCode;
  if (result.error !== null || status === null) return result.error ?? 'no status';
  if (!isSuccessStatus(policy, status)) {
    return status >= 400 ? `HTTP ${status}` : `status ${status} is not in successCodes ${policy.successCodes}`;
  }
  const source = policy.successBodyPattern;
  if (source === null) return null;
  const pattern = bodyPattern(policy, source);
  if (typeof pattern === 'string') return pattern;
  return pattern.test(result.body ?? '') ? null : 'body did not match successBodyPattern';
}

/** The part of a read body kept with the execution; null when none was read. */
export function responseSnippet(result: OutboundResult): string | null {
  const body = result.body;
  if (body === undefined || body === null) return null;
  return body.length > RESPONSE_SNIPPET_CHARS ? body.slice(0, RESPONSE_SNIPPET_CHARS) : body;
}
