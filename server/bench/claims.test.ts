import { describe, expect, it } from 'vitest';
import { changePercent, difference, ratio, verdict } from './claims.ts';

describe('claims', () => {
  it('computes the change in % against the first figure', () => {
    expect(changePercent(20, 22)).toBeCloseTo(10);
    expect(changePercent(20, 15)).toBeCloseTo(-25);
    expect(changePercent(0, 5)).toBeNull();
    expect(changePercent(null, 5)).toBeNull();
  });

  it('computes differences and ratios, null without both figures', () => {
    expect(difference(12, 19)).toBe(7);
    expect(difference(12, null)).toBeNull();
    expect(ratio(30, 10)).toBe(3);
    expect(ratio(30, 0)).toBeNull();
  });

  it('says whether a claim holds, or that there is no figure', () => {
    expect(verdict(8, (v) => v <= 10)).toBe('yes');
    expect(verdict(11, (v) => v <= 10)).toBe('no');
    expect(verdict(null, (v) => v <= 10)).toBe('—');
    expect(verdict(Number.NaN, (v) => v <= 10)).toBe('—');
  });
});
