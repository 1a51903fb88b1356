import { describe, expect, it } from 'vitest';
import { EventBus } from '../engine/events.ts';
import { EventFeed } from './event-feed.ts';

const started = (jobId: string, scheduledAt: number) => ({ jobId, scheduledAt, startedAt: scheduledAt, attempt: 1, trigger: 'SCHEDULE' as const });

function createFeed(capacity: number) {
  const bus = new EventBus((error) => {
    throw error;
  });
  return { bus, feed: new EventFeed(bus, capacity) };
}

describe('EventFeed', () => {
  it('delivers selected events in order, to a reader waiting or reading later', async () => {
    const { bus, feed } = createFeed(10);
    const stream = feed.subscribe({ 'execution:started': (event) => (event.jobId === 'a' ? event.scheduledAt : null) });
    const waiting = stream.next();
    bus.emit('execution:started', started('a', 1));
    bus.emit('execution:started', started('b', 2));
    bus.emit('execution:started', started('a', 3));
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await stream.next()).toEqual({ value: 3, done: false });
  });

  it('keeps a stuck subscriber from holding events: its buffer drops the oldest and counts', async () => {
    const { bus, feed } = createFeed(3);
    const stuck = feed.subscribe({ 'execution:started': (event) => event.scheduledAt });
    const reading = feed.subscribe({ 'execution:started': (event) => event.scheduledAt });
    const read: number[] = [];
    for (let at = 1; at <= 5; at++) {
      bus.emit('execution:started', started('a', at));
      read.push((await reading.next()).value as number);
    }
    expect(read).toEqual([1, 2, 3, 4, 5]);
    expect(feed.stats).toEqual({ subscribers: 2, droppedEvents: 2 });
    expect(await stuck.next()).toEqual({ value: 3, done: false });
  });

  it('unsubscribes from the bus when a stream ends, and ends every stream on close', async () => {
    const { bus, feed } = createFeed(3);
    const returned = feed.subscribe({ 'job:created': (event) => event.jobId });
    const open = feed.subscribe({ 'job:created': (event) => event.jobId });
    await returned.return!();
    expect(feed.stats.subscribers).toBe(1);
    bus.emit('job:created', { jobId: 'x' });
    expect(await returned.next()).toEqual({ value: undefined, done: true });
    const pending = open.next();
    expect(await pending).toEqual({ value: 'x', done: false });
    const waiting = open.next();
    feed.close();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(feed.stats).toEqual({ subscribers: 0, droppedEvents: 0 });
  });
});
