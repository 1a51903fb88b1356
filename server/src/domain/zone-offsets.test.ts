import { describe, expect, it } from 'vitest';
import { MAX_DST_SHIFT, zoneOffsets } from './zone-offsets.ts';

const HOUR = 3_600_000;
const at = (text: string) => Date.parse(text);

describe('zoneOffsets', () => {
  it('finds the 2026 transitions of Europe/Berlin to the second, with the offsets either side', () => {
    const berlin = zoneOffsets('Europe/Berlin');
    expect(berlin.transitionsBetween(at('2026-01-01T00:00:00Z'), at('2026-12-31T00:00:00Z'))).toEqual([
      { at: at('2026-03-29T01:00:00Z'), before: HOUR, after: 2 * HOUR },
      { at: at('2026-10-25T01:00:00Z'), before: 2 * HOUR, after: HOUR },
    ]);
  });

  it('finds half-hour shifts (Australia/Lord_Howe)', () => {
    const lordHowe = zoneOffsets('Australia/Lord_Howe');
    expect(lordHowe.transitionsBetween(at('2026-09-01T00:00:00Z'), at('2026-11-01T00:00:00Z'))).toEqual([
      { at: at('2026-10-03T15:30:00Z'), before: 10.5 * HOUR, after: 11 * HOUR },
    ]);
  });

  it('gives the span of one offset, quiet except within one shift of its transitions', () => {
    const newYork = zoneOffsets('America/New_York');
    // Only the explored range is known; a span does not reach beyond it.
    const first = newYork.spanAt(at('2026-07-01T00:00:00Z'));
    expect(first.start).toBeLessThanOrEqual(at('2026-06-29T00:00:00Z'));
    expect(first.quietFrom).toBe(first.start + MAX_DST_SHIFT);
    newYork.transitionsBetween(at('2026-01-01T00:00:00Z'), at('2026-12-31T00:00:00Z'));
    const span = newYork.spanAt(at('2026-07-01T00:00:00Z'));
    expect(span).toEqual({
      start: at('2026-03-08T07:00:00Z'),
      end: at('2026-11-01T06:00:00Z'),
      offset: -4 * HOUR,
      quietFrom: at('2026-03-08T08:00:00Z'),
      quietTo: at('2026-11-01T05:00:00Z'),
    });
  });

  it('explores backwards as well as forwards', () => {
    const sydney = zoneOffsets('Australia/Sydney');
    sydney.spanAt(at('2030-01-01T00:00:00Z'));
    expect(sydney.spanAt(at('2026-06-01T00:00:00Z')).offset).toBe(10 * HOUR);
    expect(sydney.spanAt(at('2026-12-01T00:00:00Z')).offset).toBe(11 * HOUR);
  });

  it('a zone without transitions has spans with no offset change, kept quiet near the edges of what is known', () => {
    const tokyo = zoneOffsets('Asia/Tokyo');
    const instant = at('2026-07-01T00:00:00Z');
    const span = tokyo.spanAt(instant);
    expect(span.offset).toBe(9 * HOUR);
    expect(span.quietFrom).toBe(span.start + MAX_DST_SHIFT);
    expect(span.quietTo).toBe(span.end - MAX_DST_SHIFT);
    expect(span.quietFrom < instant && instant < span.quietTo).toBe(true);
    expect(tokyo.transitionsBetween(at('2020-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z'))).toEqual([]);
  });

  it('UTC is one endless span', () => {
    expect(zoneOffsets('UTC').spanAt(0)).toEqual({ start: -Infinity, end: Infinity, offset: 0, quietFrom: -Infinity, quietTo: Infinity });
  });
});
