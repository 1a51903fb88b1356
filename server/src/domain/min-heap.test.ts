import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap.ts';

describe('MinHeap', () => {
  it('pops in ascending order whatever the insertion order', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    const values = Array.from({ length: 1_000 }, (_, i) => (i * 7919) % 1_009);
    for (const value of values) heap.push(value);
    const popped: number[] = [];
    for (let value = heap.pop(); value !== undefined; value = heap.pop()) popped.push(value);
    expect(popped).toEqual([...values].sort((a, b) => a - b));
  });

  it('peeks without removing and reports its size', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    expect(heap.peek()).toBeUndefined();
    heap.push(3);
    heap.push(1);
    heap.push(2);
    expect(heap.peek()).toBe(1);
    expect(heap.size).toBe(3);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual([1, 2, 3, undefined]);
    expect(heap.size).toBe(0);
  });

  it('keeps equal keys together and interleaves pushes and pops correctly', () => {
    const heap = new MinHeap<{ at: number; id: string }>((a, b) => a.at < b.at);
    heap.push({ at: 2, id: 'a' });
    heap.push({ at: 1, id: 'b' });
    heap.push({ at: 2, id: 'c' });
    expect(heap.pop()?.id).toBe('b');
    heap.push({ at: 0, id: 'd' });
    expect(heap.pop()?.id).toBe('d');
    expect([heap.pop()?.at, heap.pop()?.at]).toEqual([2, 2]);
  });
});
