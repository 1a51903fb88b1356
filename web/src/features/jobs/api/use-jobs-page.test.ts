import { describe, expect, it } from 'vitest';
import { earliestFire } from './use-jobs-page.ts';

describe('earliestFire', () => {
  it('is the soonest next fire of the active jobs', () => {
    expect(
      earliestFire([
        { status: 'ACTIVE', nextFireAt: '2026-11-26T22:00:05.000Z' },
        { status: 'PAUSED', nextFireAt: '2026-11-26T22:00:01.000Z' },
        { status: 'ACTIVE', nextFireAt: '2026-11-26T22:00:03.000Z' },
        { status: 'ACTIVE', nextFireAt: null },
      ]),
    ).toBe(Date.parse('2026-11-26T22:00:03.000Z'));
  });

  it('is null when nothing fires', () => {
    expect(earliestFire([{ status: 'PAUSED', nextFireAt: null }])).toBeNull();
  });
});
