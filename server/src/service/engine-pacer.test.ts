import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../domain/occurrence.ts';
import { EventBus } from '../engine/events.ts';
import { EnginePacer } from './engine-pacer.ts';

function createPacer(msUntilNextFire: () => number, maxDeferMs = 10_000, now?: () => number) {
  const events = new EventBus((error) => {
    throw error;
  });
  return { events, pacer: new EnginePacer({ msUntilNextFire, events, maxDeferMs, ...(now ? { now } : {}) }) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function start(events: EventBus, attempt: number): void {
  events.emit('execution:started', { jobId: 'a', scheduledAt: 1, startedAt: 1, attempt, trigger: 'SCHEDULE' });
}

const finished: ExecutionRecord = {
  jobId: 'a', scheduledAt: 1, startedAt: 1, durationMs: 3, attempt: 1, trigger: 'SCHEDULE', statusCode: 200,
  success: true, outcome: 'SUCCEEDED', error: null, responseSnippet: null, cursorAt: 1,
};

describe('EnginePacer', () => {
  it('is busy while a fire is near, and while executions start or end densely', () => {
    let untilFire = 1_000;
    let now = 0;
    const { events, pacer } = createPacer(() => untilFire, 10_000, () => now);
    expect(pacer.isQuiet()).toBe(true);
    untilFire = 10;
    expect(pacer.isQuiet()).toBe(false);
    untilFire = 1_000;
    for (let n = 0; n < 7; n++) start(events, 1);
    expect(pacer.isQuiet()).toBe(true);
    events.emit('execution:finished', finished);
    expect(pacer.isQuiet()).toBe(false);
    now = 14;
    expect(pacer.isQuiet()).toBe(false);
    now = 15;
    expect(pacer.isQuiet()).toBe(true);
    pacer.close();
  });

  it('stays quiet while calls end and retries go out spread through the second', () => {
    let now = 0;
    const { events, pacer } = createPacer(() => 1_000, 10_000, () => now);
    for (; now < 1_000; now += 2.5) {
      if (now % 5 === 0) start(events, 2);
      else events.emit('execution:finished', finished);
      expect(pacer.isQuiet()).toBe(true);
    }
    for (let n = 0; n < 8; n++, now += 1.8) start(events, 1);
    expect(pacer.isQuiet()).toBe(false);
    pacer.close();
  });

  it('counts the work that waited, and the work that waited maxDeferMs', async () => {
    let untilFire = 0;
    let now = 0;
    const { pacer } = createPacer(() => untilFire, 40, () => now);
    const overdue = pacer.whenQuiet();
    now = 40;
    await overdue;
    expect(pacer.stats).toEqual({ deferred: 1, overdue: 1 });
    const waiting = pacer.whenQuiet();
    untilFire = 1_000;
    await waiting;
    await pacer.whenQuiet();
    expect(pacer.stats).toEqual({ deferred: 2, overdue: 1 });
    pacer.close();
  });

  it('lets every waiter go when closed, and holds nothing after', async () => {
    const { pacer } = createPacer(() => 0);
    const waiting = pacer.whenQuiet();
    pacer.close();
    await waiting;
    await pacer.whenQuiet();
    expect(pacer.stats).toEqual({ deferred: 1, overdue: 0 });
  });

  it('lets waiting work go once the engine is quiet, in arrival order', async () => {
    let untilFire = 0;
    const { pacer } = createPacer(() => untilFire);
    const order: number[] = [];
    const waits = [1, 2, 3, 4, 5, 6].map((n) => pacer.whenQuiet().then(() => order.push(n)));
    await sleep(40);
    expect(order).toEqual([]);
    untilFire = 1_000;
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3, 4, 5, 6]);
    pacer.close();
  });

  it('lets one waiter go per look, so work let go cannot run into a fire that came near', async () => {
    let untilFire = 0;
    const { pacer } = createPacer(() => untilFire);
    const order: number[] = [];
    const first = pacer.whenQuiet().then(() => {
      order.push(1);
      untilFire = 10;
    });
    const rest = [2, 3].map((n) => pacer.whenQuiet().then(() => order.push(n)));
    untilFire = 1_000;
    await first;
    await sleep(30);
    expect(order).toEqual([1]);
    untilFire = 1_000;
    await Promise.all(rest);
    expect(order).toEqual([1, 2, 3]);
    pacer.close();
  });

  it('lets every waiter that waited maxDeferMs go in one look, however many', async () => {
    const { pacer } = createPacer(() => 0, 30);
    let done = 0;
    const waits = Array.from({ length: 50 }, () => pacer.whenQuiet().then(() => done++));
    await sleep(45);
    expect(done).toBe(50);
    await Promise.all(waits);
    pacer.close();
  });

  it('never holds work longer than maxDeferMs', async () => {
    const { pacer } = createPacer(() => 0, 50);
    const since = performance.now();
    await pacer.whenQuiet();
    expect(performance.now() - since).toBeGreaterThanOrEqual(45);
    pacer.close();
  });
});
