import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.ts';

const origin = (): BreakerState => ({ origin: 'http://127.0.0.1:9', failures: 0, lastFailure: null, openUntil: 0, probing: false });

describe('CircuitBreaker', () => {
  it('opens at the threshold, refuses until the cooldown ends, then admits exactly one probe', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000 });
    const state = origin();
    breaker.record(state, 'HTTP 502', false, 0);
    expect(breaker.admit(state, 1)).toBe('closed');
    breaker.record(state, 'connection refused', false, 10);
    expect(breaker.admit(state, 500)).toBe('open');
    expect(breaker.describeOpen(state)).toBe(
      'circuit open for http://127.0.0.1:9 after 2 consecutive failures (last: connection refused); not sent (next probe after 1970-01-01T00:00:01.010Z)',
    );
    expect(breaker.admit(state, 1_010)).toBe('probe');
    expect(breaker.admit(state, 1_011)).toBe('open');
    expect(breaker.describeOpen(state)).toMatch(/a probe is in flight\)$/);
    breaker.record(state, null, true, 1_200);
    expect(breaker.admit(state, 1_201)).toBe('closed');
    expect([breaker.openCount, breaker.openedTotal]).toEqual([0, 1]);
  });

  it('a failure of a call sent before the circuit opened restarts the cooldown', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1_000 });
    const state = origin();
    breaker.record(state, 'HTTP 500', false, 0);
    breaker.record(state, 'HTTP 500', false, 800);
    expect(breaker.admit(state, 1_000)).toBe('open');
    expect(breaker.admit(state, 1_800)).toBe('probe');
    expect(breaker.openOrigins()).toEqual(['http://127.0.0.1:9']);
    expect(breaker.openedTotal).toBe(1);
  });

  it('with a threshold of 0 never opens', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 0, cooldownMs: 1_000 });
    const state = origin();
    for (let i = 0; i < 100; i++) breaker.record(state, 'HTTP 500', false, i);
    expect(breaker.admit(state, 100)).toBe('closed');
    expect(breaker.openCount).toBe(0);
  });
});
