/**
 * When an at-least-once call is tried again. Pure: the clock and the randomness are passed in.
 */
export const RETRY_POLICY = {
  /** Delay before the first retry, doubled each attempt (then jittered). */
  baseDelayMs: 1_000,
  /** Longest backoff between two attempts. */
  maxDelayMs: 60_000,
  /** Longest wait a target may ask for with Retry-After. */
  maxRetryAfterMs: 300_000,
} as const;

/** A network error or timeout (no status), a 5xx, or a 429 is worth another attempt; anything else is final. */
export function isRetryable(statusCode: number | null): boolean {
  return statusCode === null || statusCode === 429 || statusCode >= 500;
}

/** Parses a Retry-After header (delta-seconds or an HTTP date) into a delay from `now`; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * The wait before attempt `nextAttempt` (2 for the first retry): the target's Retry-After when it
 * gives one (capped), else exponential backoff with full jitter, so many failing jobs do not retry
 * in lockstep.
 */
export function retryDelay(nextAttempt: number, retryAfter: string | null, now: number, random: () => number): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== null) return Math.min(asked, RETRY_POLICY.maxRetryAfterMs);
  const ceiling = Math.min(RETRY_POLICY.maxDelayMs, RETRY_POLICY.baseDelayMs * 2 ** Math.max(0, nextAttempt - 2));
  return Math.round(random() * ceiling);
}
