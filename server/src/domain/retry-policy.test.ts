import { describe, expect, it } from 'vitest';
import { RETRY_POLICY, isRetryable, parseRetryAfter, retryDelay } from './retry-policy.ts';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('retry policy', () => {
  it.each([
    [null, true],
    [500, true],
    [503, true],
    [429, true],
    [404, false],
    [400, false],
    [301, false],
  ])('status %s is retryable: %s', (status, expected) => {
    expect(isRetryable(status)).toBe(expected);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('honours Retry-After up to its cap', () => {
    expect(retryDelay(2, '3', now, () => 0.5)).toBe(3_000);
    expect(retryDelay(2, '100000', now, () => 0.5)).toBe(RETRY_POLICY.maxRetryAfterMs);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect([2, 3, 4, 5].map((attempt) => retryDelay(attempt, null, now, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelay(30, null, now, () => 1)).toBe(RETRY_POLICY.maxDelayMs);
    expect(retryDelay(4, null, now, () => 0.25)).toBe(1_000);
  });
});
