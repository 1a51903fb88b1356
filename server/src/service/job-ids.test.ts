import { randomFillSync, randomInt } from 'node:crypto';
import { v7 } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatV7, newJobId } from './job-ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The millisecond timestamp an id carries. */
const msOf = (id: string): number => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('newJobId', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('makes version 7 UUIDs that carry the creation instant', () => {
    const before = Date.now();
    const id = newJobId();
    const after = Date.now();
    expect(id).toMatch(UUID_V7);
    expect(msOf(id)).toBeGreaterThanOrEqual(before);
    expect(msOf(id)).toBeLessThanOrEqual(after);
  });

  it('orders ids as they are made, many within one millisecond', () => {
    const made = Array.from({ length: 10_000 }, () => newJobId());
    for (const id of made) expect(id).toMatch(UUID_V7);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });

  it('keeps random bits: the last 40 bits, past the timestamp and the counter, differ from id to id', () => {
    const tails = new Set(Array.from({ length: 2_000 }, () => newJobId().slice(26)));
    expect(tails.size).toBe(2_000);
  });

  it('keeps ids in order when the system clock steps back', () => {
    const now = Date.now();
    const first = newJobId();
    vi.spyOn(Date, 'now').mockReturnValue(now - 60_000);
    const afterStepBack = [newJobId(), newJobId()];
    expect([first, ...afterStepBack].sort()).toEqual([first, ...afterStepBack]);
    expect(msOf(afterStepBack[1]!)).toBeGreaterThanOrEqual(msOf(first));
  });

  it('draws fresh random bits for every id, also past the pool of random bytes', () => {
    const made = Array.from({ length: 1_000 }, () => newJobId());
    expect(new Set(made.map((id) => id.slice(26))).size).toBe(made.length);
  });
});

describe('formatV7', () => {
  it('writes the text uuid writes for the same timestamp, counter and random bytes', () => {
    const random = new Uint8Array(16);
    const cases: Array<[number, number]> = [[0, 0], [2 ** 48 - 1, 0x7fff_ffff], [1_764_288_000_000, 1], [1_764_288_000_000, 0x4000_0000]];
    for (let n = 0; n < 2_000; n++) cases.push([randomInt(0, 2 ** 48 - 1), randomInt(0, 2 ** 31)]);
    for (const [msecs, seq] of cases) {
      randomFillSync(random);
      expect(formatV7(msecs, seq, random, 0)).toBe(v7({ random, msecs, seq }));
    }
  });
});
