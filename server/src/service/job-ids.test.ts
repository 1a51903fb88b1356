import { describe, expect, it } from 'vitest';
import { JobIds } from './job-ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The millisecond timestamp an id carries. */
const msOf = (id: string): number => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('JobIds', () => {
  it('makes version 7 UUIDs that carry the creation instant', () => {
    const ids = new JobIds();
    const at = Date.UTC(2026, 10, 27, 3, 4, 5, 678);
    const id = ids.next(at);
    expect(id).toMatch(UUID_V7);
    expect(msOf(id)).toBe(at);
  });

  it('orders ids as they are made, within one millisecond and across many', () => {
    const ids = new JobIds();
    const at = Date.UTC(2026, 10, 27);
    // More than the 12-bit counter holds in one millisecond: the next one is borrowed.
    const made = [...Array.from({ length: 10_000 }, () => ids.next(at)), ids.next(at + 1), ids.next(at + 500)];
    for (const id of made) expect(id).toMatch(UUID_V7);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    expect(msOf(made[0]!)).toBe(at);
    expect(msOf(made.at(-1)!)).toBe(at + 500);
  });

  it('keeps 62 random bits: two generators never agree', () => {
    const at = Date.UTC(2026, 10, 27);
    const first = new JobIds();
    const second = new JobIds();
    const tails = new Set(Array.from({ length: 2_000 }, (_, index) => (index % 2 ? first : second).next(at).slice(19)));
    expect(tails.size).toBe(2_000);
  });
});
