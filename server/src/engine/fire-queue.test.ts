import { describe, expect, it } from 'vitest';
import { compileSchedule } from '../domain/cron.ts';
import { checkNewJob } from '../domain/job-spec.ts';
import { FireQueue, type FireEntry } from './fire-queue.ts';
import { JobRuntime } from './job-runtime.ts';

const spec = checkNewJob({ schedule: '* * * * * *', api: 'http://127.0.0.1:9/hook' }, 30_000).spec;
const jobs = Array.from({ length: 50 }, (_, i) => new JobRuntime(`job-${i}`, spec, compileSchedule(spec.schedule), 'ACTIVE', 1, 0));

function entry(at: number, i: number): FireEntry {
  return { at, job: jobs[i % jobs.length]!, version: i, kind: i % 3 === 0 ? 'HELD' : 'SCHEDULE' };
}

/** The heap of objects the queue replaces: the order of equal instants must stay the same. */
class ObjectHeap {
  readonly items: FireEntry[] = [];

  push(item: FireEntry): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!(items[i]!.at < items[parent]!.at)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): FireEntry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && items[left]!.at < items[smallest]!.at) smallest = left;
      if (right < items.length && items[right]!.at < items[smallest]!.at) smallest = right;
      if (smallest === i) return top;
      [items[i], items[smallest]] = [items[smallest]!, items[i]!];
      i = smallest;
    }
  }
}

describe('FireQueue', () => {
  it('pops in ascending order whatever the insertion order, past its first capacity', () => {
    const queue = new FireQueue();
    const instants = Array.from({ length: 5_000 }, (_, i) => 1.7e12 + ((i * 7919) % 5_003));
    instants.forEach((at, i) => queue.push(entry(at, i)));
    expect(queue.size).toBe(5_000);
    const popped: number[] = [];
    for (let top = queue.pop(); top !== undefined; top = queue.pop()) popped.push(top.at);
    expect(popped).toEqual([...instants].sort((a, b) => a - b));
    expect(queue.size).toBe(0);
  });

  it('gives back each entry whole, and peeks without removing', () => {
    const queue = new FireQueue();
    expect(queue.peek()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
    queue.push(entry(30, 1));
    queue.push(entry(10, 3));
    queue.push(entry(20, 2));
    expect(queue.peek()).toEqual(entry(10, 3));
    expect(queue.peek()).toBe(queue.peek());
    expect(queue.size).toBe(3);
    expect([queue.pop(), queue.pop(), queue.pop(), queue.pop()]).toEqual([entry(10, 3), entry(20, 2), entry(30, 1), undefined]);
  });

  it('brings equal instants out in the order a heap of objects does, with pushes and pops interleaved', () => {
    const queue = new FireQueue();
    const reference = new ObjectHeap();
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const out: Array<[FireEntry | undefined, FireEntry | undefined]> = [];
    for (let i = 0; i < 3_000; i++) {
      if (random() < 0.6) {
        const next = entry(Math.floor(random() * 20), i);
        queue.push(next);
        reference.push(next);
      } else {
        out.push([queue.pop(), reference.pop()]);
      }
    }
    while (reference.items.length > 0) out.push([queue.pop(), reference.pop()]);
    for (const [got, expected] of out) expect(got).toEqual(expected);
  });

  it('compacts: drops the entries refused, keeps the rest, and still pops them in order', () => {
    const queue = new FireQueue();
    const instants = Array.from({ length: 3_000 }, (_, i) => 1.7e12 + ((i * 7919) % 3_001));
    instants.forEach((at, i) => queue.push(entry(at, i)));
    queue.peek();
    // Keep the entries whose version (their index) is odd.
    expect(queue.compact((_job, version) => version % 2 === 1)).toBe(1_500);
    expect(queue.size).toBe(1_500);
    const popped: FireEntry[] = [];
    for (let top = queue.pop(); top !== undefined; top = queue.pop()) popped.push(top);
    expect(popped.every((kept) => kept.version % 2 === 1)).toBe(true);
    expect(popped.map((kept) => kept.at)).toEqual(instants.filter((_, i) => i % 2 === 1).sort((a, b) => a - b));
    expect(queue.compact(() => false)).toBe(0);
  });
});
