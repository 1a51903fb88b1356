import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastInstantFormatter } from './instant-text.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
/** The largest instant a Date holds, in ms either side of 1970. */
const MAX_INSTANT = 8_640_000_000_000_000;

describe('lastInstantFormatter', () => {
  it('formats every instant as toISOString does, repeated or not', () => {
    const format = lastInstantFormatter();
    const instants = [0, 0, Date.UTC(2026, 10, 27, 4, 5, 6, 7), Date.UTC(2026, 10, 27, 4, 5, 6, 7), -1, 1e12];
    expect(instants.map(format)).toEqual(instants.map(iso));
  });

  it('formats runs of instants within a minute, across minute edges and before 1970, as toISOString does', () => {
    const minuteStart = Date.UTC(2026, 10, 27, 6, 59, 0, 0);
    const instants = [minuteStart, minuteStart + 7, minuteStart + 59_999, minuteStart + 60_000, minuteStart + 60_090, minuteStart + 1_005, -60_001, -60_000, -59_999, -1];
    const format = lastInstantFormatter();
    expect(instants.map(format)).toEqual(instants.map(iso));
  });

  it('agrees with toISOString on random walks of instants, any year a Date holds', () => {
    const walk = fc.tuple(
      // Every valid instant, less the room a walk of 40 steps may take at either end.
      fc.integer({ min: -MAX_INSTANT + 4_000_000, max: MAX_INSTANT - 4_000_000 }),
      fc.array(fc.integer({ min: -90_000, max: 90_000 }), { maxLength: 40 }),
    );
    fc.assert(
      fc.property(walk, ([start, steps]) => {
        const format = lastInstantFormatter();
        let at = start;
        for (const step of steps) {
          at += step;
          if (format(at) !== iso(at)) return false;
        }
        return format(start) === iso(start);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses an invalid instant as toISOString does', () => {
    const format = lastInstantFormatter();
    format(Date.UTC(2026, 0, 1));
    expect(() => format(Number.NaN)).toThrow(RangeError);
  });
});
