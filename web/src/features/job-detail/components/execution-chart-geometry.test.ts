import { describe, expect, it } from 'vitest';
import { layoutExecutionChart, niceCeiling } from './execution-chart-geometry.ts';

describe('niceCeiling', () => {
  it.each([
    [0, 1],
    [7, 10],
    [120, 200],
    [450, 500],
    [1_000, 1_000],
    [1_001, 2_000],
  ])('%d -> %d', (value, ceiling) => {
    expect(niceCeiling(value)).toBe(ceiling);
  });
});

describe('layoutExecutionChart', () => {
  it('puts the oldest execution on the left, scaled to a round ceiling', () => {
    const layout = layoutExecutionChart(
      [
        { startedAt: '2026-11-26T22:00:02.000Z', durationMs: 40, outcome: 'FAILED' },
        { startedAt: '2026-11-26T22:00:01.000Z', durationMs: 100, outcome: 'SUCCEEDED' },
      ],
      200,
      100,
    );
    expect(layout.scaleMs).toBe(100);
    expect(layout.from).toBe('2026-11-26T22:00:01.000Z');
    expect(layout.to).toBe('2026-11-26T22:00:02.000Z');
    expect(layout.bars).toEqual([
      { x: 15, width: 70, y: 0, height: 100, outcome: 'SUCCEEDED' },
      { x: 115, width: 70, y: 60, height: 40, outcome: 'FAILED' },
    ]);
  });

  it('keeps an instant run visible and handles no runs', () => {
    expect(layoutExecutionChart([{ startedAt: 'x', durationMs: 0, outcome: 'UNKNOWN' }], 10, 50).bars[0]?.height).toBe(1);
    expect(layoutExecutionChart([], 10, 50)).toEqual({ bars: [], scaleMs: 1, from: null, to: null });
  });
});
