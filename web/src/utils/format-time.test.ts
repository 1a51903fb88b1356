import { describe, expect, it } from 'vitest';
import { formatCount, formatDateTime, formatPercent } from './format-time.ts';

describe('formatDateTime', () => {
  const instant = '2026-11-26T22:04:10.000Z';

  it('shows the instant in the given timezone', () => {
    expect(formatDateTime(instant, { timeZone: 'UTC' })).toBe('26 Nov 2026, 22:04:10');
    expect(formatDateTime(instant, { timeZone: 'Asia/Tokyo' })).toBe('27 Nov 2026, 07:04:10');
  });

  it('can name the zone', () => {
    expect(formatDateTime(instant, { timeZone: 'UTC', withZone: true })).toBe('26 Nov 2026, 22:04:10 UTC');
  });

  it('passes through text that is not an instant', () => {
    expect(formatDateTime('soon')).toBe('soon');
  });
});

describe('formatPercent', () => {
  it.each([
    [0.9876, '98.8%'],
    [1, '100%'],
    [0, '0%'],
    [null, '–'],
  ])('%s -> %s', (ratio, text) => {
    expect(formatPercent(ratio)).toBe(text);
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
