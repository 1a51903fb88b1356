import { describe, expect, it } from 'vitest';
import { IdleCollector, minorCollector, youngGeneration } from './idle-collector.ts';

const MB = 1024 * 1024;

function collectorWith(state: { quiet: boolean; untilFire: number; used: number }) {
  let collected = 0;
  const collector = new IdleCollector({
    isQuiet: () => state.quiet,
    msUntilNextFire: () => state.untilFire,
    youngGeneration: () => ({ used: state.used, capacity: 64 * MB }),
    collect: () => {
      collected++;
      state.used = 0;
    },
  });
  return { collector, collected: () => collected };
}

describe('IdleCollector', () => {
  it('scavenges when the engine is quiet, its next fire 250 to 50 ms away, and the young generation an eighth full or more', () => {
    const state = { quiet: true, untilFire: 250, used: 8 * MB };
    const { collector, collected } = collectorWith(state);
    expect(collector.check()).toBe(true);
    expect(collected()).toBe(1);
    expect(collector.collections).toBe(1);
  });

  it('leaves bursts, the time right after them, the moments before a fire and a young generation with little in it alone', () => {
    const state = { quiet: false, untilFire: 200, used: 32 * MB };
    const { collector, collected } = collectorWith(state);
    expect(collector.check()).toBe(false);
    state.quiet = true;
    state.untilFire = 251;
    expect(collector.check()).toBe(false);
    state.untilFire = Number.POSITIVE_INFINITY;
    expect(collector.check()).toBe(false);
    state.untilFire = 49;
    expect(collector.check()).toBe(false);
    state.untilFire = 50;
    state.used = 8 * MB - 1;
    expect(collector.check()).toBe(false);
    expect(collected()).toBe(0);
    state.used = 8 * MB;
    expect(collector.check()).toBe(true);
  });

  it("empties V8's young generation with its own scavenge", () => {
    const collect = minorCollector();
    collect();
    const kept: object[] = [];
    // Short-lived garbage, as a burst leaves it: most dies, a few objects stay reachable. Up to
    // half of what the young generation holds, so that V8 does not scavenge on its own meanwhile.
    const { capacity } = youngGeneration();
    for (let index = 0; youngGeneration().used < capacity / 2; index++) {
      for (let step = 0; step < 1_000; step++) {
        const item = { index, step, text: `item ${index}.${step}` };
        if (step === 0) kept.push(item);
      }
    }
    const before = youngGeneration();
    expect(before.used).toBeGreaterThanOrEqual(capacity / 2);
    collect();
    const after = youngGeneration();
    expect(after.used).toBeLessThan(before.used / 4);
    expect(kept.length).toBeGreaterThan(0);
    expect('gc' in globalThis).toBe(false);
  });
});
