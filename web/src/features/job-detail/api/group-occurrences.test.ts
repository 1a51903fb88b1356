import { describe, expect, it } from 'vitest';
import type { AuditedOccurrence } from './audit-documents.ts';
import { groupOccurrences } from './group-occurrences.ts';

function at(second: number, outcome: AuditedOccurrence['outcome'], extra: Partial<AuditedOccurrence> = {}): AuditedOccurrence {
  return { scheduledAt: new Date(Date.UTC(2026, 10, 27, 10, 0, second)).toISOString(), outcome, reason: null, attempts: outcome === 'SKIPPED' || outcome === 'MISSING' ? 0 : 1, statusCode: outcome === 'SUCCEEDED' ? 200 : null, ...extra };
}

describe('groupOccurrences', () => {
  it('collapses runs of the same outcome and reason, keeping their first and last instants', () => {
    const skipped = Array.from({ length: 300 }, (_, second) => at(second, 'SKIPPED', { reason: 'MISFIRE' }));
    const groups = groupOccurrences([...skipped, at(300, 'SUCCEEDED'), at(301, 'SUCCEEDED')]);
    expect(groups).toEqual([
      { outcome: 'SKIPPED', reason: 'MISFIRE', first: '2026-11-27T10:00:00.000Z', last: '2026-11-27T10:04:59.000Z', count: 300, statusCode: null, attempts: 0 },
      { outcome: 'SUCCEEDED', reason: null, first: '2026-11-27T10:05:00.000Z', last: '2026-11-27T10:05:01.000Z', count: 2, statusCode: 200, attempts: 1 },
    ]);
  });

  it('splits on a different reason and keeps a lone missing occurrence on its own line', () => {
    const groups = groupOccurrences([
      at(0, 'SKIPPED', { reason: 'PAUSED' }),
      at(1, 'SKIPPED', { reason: 'OVERLAP' }),
      at(2, 'SUCCEEDED'),
      at(3, 'MISSING'),
      at(4, 'SUCCEEDED', { statusCode: 204, attempts: 2 }),
      at(5, 'SUCCEEDED'),
    ]);
    expect(groups.map((group) => [group.outcome, group.reason, group.count])).toEqual([
      ['SKIPPED', 'PAUSED', 1],
      ['SKIPPED', 'OVERLAP', 1],
      ['SUCCEEDED', null, 1],
      ['MISSING', null, 1],
      ['SUCCEEDED', null, 2],
    ]);
    expect(groups[4]).toMatchObject({ statusCode: null, attempts: 2 });
  });

  it('has nothing to group in an empty window', () => {
    expect(groupOccurrences([])).toEqual([]);
  });
});
