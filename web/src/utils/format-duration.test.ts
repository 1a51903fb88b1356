import { describe, expect, it } from 'vitest';
import { formatAgo, formatCountdown, formatDuration } from './format-duration.ts';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [849.6, '850 ms'],
    [1_250, '1.25 s'],
    [12_340, '12.3 s'],
    [125_000, '2m 05s'],
    [3 * 3_600_000 + 4 * 60_000, '3h 04m'],
    [Number.NaN, '–'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatCountdown', () => {
  it.each([
    [-5, 'now'],
    [0, 'now'],
    [1, 'in 1s'],
    [4_000, 'in 4s'],
    [59_001, 'in 1m 00s'],
    [125_000, 'in 2m 05s'],
    [3 * 3_600_000 + 4 * 60_000, 'in 3h 04m'],
    [2 * 86_400_000 + 5 * 3_600_000, 'in 2d 5h'],
  ])('%d ms left -> %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('formatAgo', () => {
  it.each([
    [500, 'just now'],
    [12_000, '12s ago'],
    [300_000, '5m ago'],
    [3 * 3_600_000, '3h ago'],
    [2 * 86_400_000, '2d ago'],
  ])('%d ms ago -> %s', (ms, text) => {
    expect(formatAgo(ms)).toBe(text);
  });
});
