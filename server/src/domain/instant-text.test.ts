import { describe, expect, it } from 'vitest';
import { lastInstantFormatter } from './instant-text.ts';

describe('lastInstantFormatter', () => {
  it('formats every instant as toISOString does, repeated or not', () => {
    const format = lastInstantFormatter();
    const instants = [0, 0, Date.UTC(2026, 10, 27, 4, 5, 6, 7), Date.UTC(2026, 10, 27, 4, 5, 6, 7), -1, 1e12];
    expect(instants.map(format)).toEqual(instants.map((ms) => new Date(ms).toISOString()));
  });
});
