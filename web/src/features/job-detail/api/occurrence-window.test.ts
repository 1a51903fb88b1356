import { describe, expect, it } from 'vitest';
import { resolveWindow, toLocalInput } from './occurrence-window.ts';

const NOW = Date.parse('2026-11-27T10:00:00.000Z');

describe('resolveWindow', () => {
  it('ends a preset now', () => {
    expect(resolveWindow({ preset: 'LAST_HOUR', customFrom: '', customTo: '' }, NOW)).toEqual({ window: { from: '2026-11-27T09:00:00.000Z', to: '2026-11-27T10:00:00.000Z' } });
    expect(resolveWindow({ preset: 'LAST_DAY', customFrom: '', customTo: '' }, NOW)).toEqual({ window: { from: '2026-11-26T10:00:00.000Z', to: '2026-11-27T10:00:00.000Z' } });
  });

  it('reads a custom window in the browser’s zone', () => {
    const from = toLocalInput(NOW - 5 * 60_000);
    const to = toLocalInput(NOW);
    expect(resolveWindow({ preset: 'CUSTOM', customFrom: from, customTo: to }, NOW)).toEqual({ window: { from: '2026-11-27T09:55:00.000Z', to: '2026-11-27T10:00:00.000Z' } });
  });

  it('asks for both ends, in order', () => {
    expect(resolveWindow({ preset: 'CUSTOM', customFrom: '', customTo: toLocalInput(NOW) }, NOW)).toEqual({ error: 'Enter when the window starts and ends' });
    expect(resolveWindow({ preset: 'CUSTOM', customFrom: toLocalInput(NOW), customTo: toLocalInput(NOW) }, NOW)).toEqual({ error: 'The window must start before it ends' });
    expect(resolveWindow({ preset: 'CUSTOM', customFrom: 'soon', customTo: toLocalInput(NOW) }, NOW)).toEqual({ error: 'Enter the start and end as dates and times' });
  });
});
