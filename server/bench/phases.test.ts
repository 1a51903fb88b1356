import { describe, expect, it } from 'vitest';
import type { Arrival } from './analyse.ts';
import { alternatingPhases, followPhases, lagByPhase, SWITCH_OFFSET_MS, type Phase } from './phases.ts';

describe('alternatingPhases', () => {
  it('starts off, takes turns, and measures all but the first and last second of each phase', () => {
    const phases = alternatingPhases({ startMs: 100_000, seconds: 60 }, 10);
    expect(phases.map((phase) => phase.on)).toEqual([false, true, false, true, false, true]);
    expect(phases[1]).toEqual({ on: true, startMs: 110_000, endMs: 120_000, measured: { startMs: 111_000, seconds: 8 } });
    expect(phases[5]!.endMs).toBe(160_000);
  });

  it('keeps an even count of phases, leaving the rest of the window out', () => {
    const phases = alternatingPhases({ startMs: 0, seconds: 30 }, 10);
    expect(phases.map((phase) => phase.on)).toEqual([false, true]);
    expect(phases[1]!.endMs).toBe(20_000);
  });

  it('refuses phases that leave nothing to measure or to compare', () => {
    expect(() => alternatingPhases({ startMs: 0, seconds: 60 }, 2)).toThrow('leaves no measured second');
    expect(() => alternatingPhases({ startMs: 0, seconds: 10 }, 10)).toThrow('holds no two phases');
  });
});

describe('lagByPhase', () => {
  it('takes the lag of each side from its measured seconds only', () => {
    const phases = alternatingPhases({ startMs: 0, seconds: 20 }, 5);
    const at = (second: number, lagMs: number): Arrival => ({ jobId: 'a', scheduledAt: second * 1_000, arrivedAt: second * 1_000 + lagMs, key: `a${second}` });
    const arrivals = [
      at(0, 900), // the switching second of the first off-phase: not measured
      at(1, 10),
      at(3, 20),
      at(4, 800), // the switching second before the first on-phase: not measured
      at(5, 700), // the switch on: not measured
      at(6, 30),
      at(8, 40),
      at(9, 600), // the switch off: not measured
      at(16, 50),
    ];
    const lag = lagByPhase(arrivals, phases);
    expect(lag.off).toEqual({ p50: 10, p99: 20, max: 20 });
    expect(lag.on).toEqual({ p50: 40, p99: 50, max: 50 });
    expect(lag.each.map((phase) => phase.p99)).toEqual([20, 40, null, 50]);
  });
});

describe('followPhases', () => {
  it('switches each on-phase on in its first second and off in its last, by the wall clock', async () => {
    const startMs = Math.ceil(Date.now() / 1_000) * 1_000;
    const phases: Phase[] = alternatingPhases({ startMs, seconds: 6 }, 3);
    const switched: Array<{ what: string; at: number }> = [];
    await followPhases(phases, {
      on: async () => {
        switched.push({ what: 'on', at: Date.now() });
      },
      off: async () => {
        switched.push({ what: 'off', at: Date.now() });
      },
    });
    expect(switched.map(({ what }) => what)).toEqual(['on', 'off']);
    expect(switched[0]!.at).toBeGreaterThanOrEqual(startMs + 3_000 + SWITCH_OFFSET_MS);
    expect(switched[0]!.at).toBeLessThan(startMs + 4_000);
    expect(switched[1]!.at).toBeGreaterThanOrEqual(startMs + 5_000 + SWITCH_OFFSET_MS);
    expect(switched[1]!.at).toBeLessThan(startMs + 6_000);
  });
});
