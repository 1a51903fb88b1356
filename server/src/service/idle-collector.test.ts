import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { IdleCollector, minorCollector, youngGeneration } from './idle-collector.ts';

const MB = 1024 * 1024;

interface State {
  quiet: boolean;
  untilFire: number;
  used: number;
  now: number;
}

/** A collector on made-up engine state: its scavenge leaves `survivors` bytes in use. */
function collectorWith(state: State, survivors = 0) {
  let collected = 0;
  const collector = new IdleCollector({
    isQuiet: () => state.quiet,
    msUntilNextFire: () => state.untilFire,
    youngGeneration: () => ({ used: state.used, capacity: 64 * MB }),
    collect: () => {
      collected++;
      state.used = survivors;
    },
    now: () => state.now,
  });
  return { collector, collected: () => collected };
}

describe('IdleCollector', () => {
  it('scavenges when the engine is quiet, its next fire 250 to 50 ms away, and the young generation an eighth full or more', () => {
    const state = { quiet: true, untilFire: 250, used: 8 * MB, now: 0 };
    const { collector, collected } = collectorWith(state);
    expect(collector.check()).toBe(true);
    expect(collected()).toBe(1);
    expect(collector.collections).toBe(1);
  });

  it('leaves bursts, the time right after them, the moments before a fire and a young generation with little in it alone', () => {
    const state = { quiet: false, untilFire: 200, used: 32 * MB, now: 0 };
    const { collector, collected } = collectorWith(state);
    expect(collector.check()).toBe(false);
    state.quiet = true;
    for (const untilFire of [251, Number.POSITIVE_INFINITY, 49, -5, Number.NaN]) {
      state.untilFire = untilFire;
      expect(collector.check()).toBe(false);
    }
    state.untilFire = 50;
    state.used = 8 * MB - 1;
    expect(collector.check()).toBe(false);
    expect(collected()).toBe(0);
    state.used = 8 * MB;
    expect(collector.check()).toBe(true);
  });

  it('scavenges once before each fire, however much survived', () => {
    const state = { quiet: true, untilFire: 250, used: 32 * MB, now: 0 };
    const { collector, collected } = collectorWith(state, 16 * MB);
    expect(collector.check()).toBe(true);
    // The next looks before the same fire: a quarter of the young generation survived.
    for (const step of [50, 100, 150]) {
      state.now = step;
      state.untilFire = 250 - step;
      expect(collector.check()).toBe(false);
    }
    // The stretch before the next second's fire.
    state.now = 1_000;
    state.untilFire = 250;
    expect(collector.check()).toBe(true);
    expect(collected()).toBe(2);
  });

  it('looks every 50 ms once started, and no more once stopped', async () => {
    // The next fire is always 200 ms away: every look is before a new fire, and may scavenge.
    const collector = new IdleCollector({
      isQuiet: () => true,
      msUntilNextFire: () => 200,
      youngGeneration: () => ({ used: 32 * MB, capacity: 64 * MB }),
      collect: () => undefined,
    });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    collector.start();
    await sleep(190);
    collector.stop();
    const whenStopped = collector.collections;
    expect(whenStopped).toBeGreaterThanOrEqual(2);
    await sleep(120);
    expect(collector.collections).toBe(whenStopped);
  });

  it('does nothing, and is not enabled, when V8 gives no gc function', async () => {
    const collector = new IdleCollector({
      isQuiet: () => true,
      msUntilNextFire: () => 200,
      youngGeneration: () => ({ used: 32 * MB, capacity: 64 * MB }),
      collect: null,
    });
    expect(collector.enabled).toBe(false);
    expect(collector.check()).toBe(false);
    collector.start();
    await new Promise((resolve) => setTimeout(resolve, 120));
    collector.stop();
    expect(collector.collections).toBe(0);
  });

  it("runs V8's own scavenge, which empties the young generation of what died", async () => {
    const collect = minorCollector();
    expect(collect).not.toBeNull();
    collect!();
    const kept: object[] = [];
    // Short-lived garbage, as a burst leaves it: most dies, a few objects stay reachable. Up to
    // half of what the young generation holds, so that V8 does not scavenge on its own meanwhile.
    const target = youngGeneration().capacity / 2;
    for (let round = 0; round < 10_000 && youngGeneration().used < target; round++) {
      for (let step = 0; step < 1_000; step++) {
        const item = { round, step, text: `item ${round}.${step}` };
        if (step === 0) kept.push(item);
      }
    }
    const before = youngGeneration();
    expect(before.used).toBeGreaterThanOrEqual(target);
    const entries: PerformanceEntry[] = [];
    const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
    observer.observe({ entryTypes: ['gc'] });
    collect!();
    const after = youngGeneration();
    await new Promise((resolve) => setTimeout(resolve, 50));
    observer.disconnect();
    expect(after.used).toBeLessThan(before.used / 4);
    // The first collection after the observer starts is ours; V8 may begin others of its own meanwhile.
    expect((entries[0] as { detail?: { kind: number } } | undefined)?.detail?.kind).toBe(constants.NODE_PERFORMANCE_GC_MINOR);
  });
});
