import { describe, expect, it } from 'vitest';
import { LimitError } from '../domain/errors.ts';
import { EventBus } from '../engine/events.ts';
import { EventFeed, type FeedSource } from './event-feed.ts';

const started = (jobId: string, scheduledAt: number) => ({ jobId, scheduledAt, startedAt: scheduledAt, attempt: 1, trigger: 'SCHEDULE' as const });

function createFeed(capacity: number) {
  const bus = new EventBus((error) => {
    throw error;
  });
  return { bus, feed: new EventFeed(bus, { capacity }) };
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
    expect(feed.stats).toEqual({ subscribers: 2, droppedEvents: 2, sharedSources: 0 });
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
    expect(feed.stats).toEqual({ subscribers: 0, droppedEvents: 0, sharedSources: 0 });
  });
});

describe('EventFeed.subscribeBatches', () => {
  it('hands a reader everything pending, up to the limit, as one batch', async () => {
    const { bus, feed } = createFeed(10);
    const stream = feed.subscribeBatches({ 'execution:started': (event) => event.scheduledAt }, 3);
    for (let at = 1; at <= 5; at++) bus.emit('execution:started', started('a', at));
    expect(await stream.next()).toEqual({ value: [1, 2, 3], done: false });
    expect(await stream.next()).toEqual({ value: [4, 5], done: false });
    const waiting = stream.next();
    bus.emit('execution:started', started('a', 6));
    expect(await waiting).toEqual({ value: [6], done: false });
    feed.close();
  });
});

describe('EventFeed subscriber limit', () => {
  it('refuses a subscriber past maxSubscribers, shared or not, and takes one again once another left', async () => {
    const bus = new EventBus((error) => {
      throw error;
    });
    const feed = new EventFeed(bus, { maxSubscribers: 2 });
    const open = async (source: FeedSource) => source.subscribe({ 'execution:started': (event) => event.scheduledAt });
    const plain = feed.subscribe({ 'execution:started': (event) => event.scheduledAt });
    const shared = (await feed.share('all', open)) as AsyncIterableIterator<number>;
    expect(feed.stats).toMatchObject({ subscribers: 2, sharedSources: 1 });
    const message = '2 live subscriptions are open, the most the service serves at once (SUBSCRIBERS_MAX); try again later';
    expect(() => feed.subscribeBatches({ 'execution:started': (event) => event.scheduledAt }, 10)).toThrow(new LimitError(message));
    await expect(feed.share('all', open)).rejects.toThrow(LimitError);
    await plain.return!();
    const again = (await feed.share('all', open)) as AsyncIterableIterator<number>;
    bus.emit('execution:started', started('a', 1));
    expect([(await shared.next()).value, (await again.next()).value]).toEqual([1, 1]);
    feed.close();
  });
});

describe('EventFeed.share', () => {
  it('feeds every subscriber of one operation from one source, and closes it with the last', async () => {
    const { bus, feed } = createFeed(10);
    let opened = 0;
    const open = async () => {
      opened++;
      return feed.subscribe({ 'execution:started': (event) => event.scheduledAt });
    };
    const first = (await feed.share('all', open)) as AsyncIterableIterator<number>;
    const second = (await feed.share('all', open)) as AsyncIterableIterator<number>;
    expect(opened).toBe(1);
    expect(feed.stats).toEqual({ subscribers: 2, droppedEvents: 0, sharedSources: 1 });
    bus.emit('execution:started', started('a', 1));
    bus.emit('execution:started', started('a', 2));
    expect([(await first.next()).value, (await first.next()).value]).toEqual([1, 2]);
    expect([(await second.next()).value, (await second.next()).value]).toEqual([1, 2]);
    await first.return!();
    bus.emit('execution:started', started('a', 3));
    expect((await second.next()).value).toBe(3);
    await second.return!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(feed.stats).toEqual({ subscribers: 0, droppedEvents: 0, sharedSources: 0 });
    const third = (await feed.share('all', open)) as AsyncIterableIterator<number>;
    expect(opened).toBe(2);
    await third.return!();
  });

  it('gives those who come while the source opens what the first got: its answer, its error or the stream', async () => {
    const { bus, feed } = createFeed(10);
    let answer!: (value: AsyncIterable<number> | { errors: string[] }) => void;
    const refusing = () => new Promise<AsyncIterable<number> | { errors: string[] }>((resolve) => (answer = resolve));
    const first = feed.share('missing', refusing);
    const second = feed.share('missing', refusing);
    answer({ errors: ['NOT_FOUND'] });
    expect(await first).toEqual({ errors: ['NOT_FOUND'] });
    expect(await second).toEqual({ errors: ['NOT_FOUND'] });
    let fail!: (error: Error) => void;
    const failing = () => new Promise<AsyncIterable<number>>((_resolve, reject) => (fail = reject));
    const failed = [feed.share('broken', failing), feed.share('broken', failing)];
    fail(new Error('no source'));
    await expect(failed[0]).rejects.toThrow('no source');
    await expect(failed[1]).rejects.toThrow('no source');
    expect(feed.stats).toEqual({ subscribers: 0, droppedEvents: 0, sharedSources: 0 });
    let ready!: () => void;
    const slow = () => new Promise<AsyncIterable<number>>((resolve) => (ready = () => resolve(feed.subscribe({ 'execution:started': (event) => event.scheduledAt }))));
    const streams = [feed.share('slow', slow), feed.share('slow', slow)];
    ready();
    const [one, two] = (await Promise.all(streams)) as Array<AsyncIterableIterator<number>>;
    bus.emit('execution:started', started('a', 1));
    expect([(await one!.next()).value, (await two!.next()).value]).toEqual([1, 1]);
    expect(feed.stats).toEqual({ subscribers: 2, droppedEvents: 0, sharedSources: 1 });
    feed.close();
  });

  it('gives each shared subscriber its own bounded buffer', async () => {
    const { bus, feed } = createFeed(2);
    const open = async () => feed.subscribe({ 'execution:started': (event) => event.scheduledAt });
    const stuck = (await feed.share('all', open)) as AsyncIterableIterator<number>;
    const reading = (await feed.share('all', open)) as AsyncIterableIterator<number>;
    const read: number[] = [];
    for (let at = 1; at <= 4; at++) {
      bus.emit('execution:started', started('a', at));
      read.push((await reading.next()).value as number);
    }
    expect(read).toEqual([1, 2, 3, 4]);
    expect(feed.stats.droppedEvents).toBe(2);
    expect((await stuck.next()).value).toBe(3);
    feed.close();
  });

  it('counts an item the shared source drops once for every subscriber, since each of them loses it', async () => {
    const bus = new EventBus((error) => {
      throw error;
    });
    // The engine stays busy, so nothing is delivered and the source's own buffer of 2 fills up.
    const feed = new EventFeed(bus, { capacity: 2, pacer: { isQuiet: () => false, maxDeferMs: 60_000 } });
    const open = async (source: FeedSource) => source.subscribe({ 'execution:started': (event) => event.scheduledAt });
    const members = [];
    for (let index = 0; index < 3; index++) members.push((await feed.share('all', open)) as AsyncIterableIterator<number>);
    for (let at = 1; at <= 5; at++) bus.emit('execution:started', started('a', at));
    expect(feed.stats).toEqual({ subscribers: 3, droppedEvents: 3 * 3, sharedSources: 1 });
    await members[0]!.return!();
    bus.emit('execution:started', started('a', 6));
    expect(feed.stats.droppedEvents).toBe(3 * 3 + 2);
    feed.close();
  });

  it('returns what the opener answers when it is not a stream, and shares nothing', async () => {
    const { feed } = createFeed(2);
    const refusal = { errors: ['no such job'] };
    expect(await feed.share('job', async () => refusal)).toBe(refusal);
    expect(feed.stats).toEqual({ subscribers: 0, droppedEvents: 0, sharedSources: 0 });
  });
});

describe('EventFeed pacing', () => {
  it('holds deliveries while the engine is busy, then delivers them', async () => {
    const bus = new EventBus((error) => {
      throw error;
    });
    let quiet = false;
    const feed = new EventFeed(bus, { capacity: 10, pacer: { isQuiet: () => quiet, maxDeferMs: 60_000 } });
    const stream = feed.subscribe({ 'execution:started': (event) => event.scheduledAt });
    const waiting = stream.next();
    bus.emit('execution:started', started('a', 1));
    let delivered = false;
    void waiting.then(() => (delivered = true));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(delivered).toBe(false);
    quiet = true;
    expect(await waiting).toEqual({ value: 1, done: false });
    feed.close();
  });

  it('yields to due timers during a long fan-out', async () => {
    const bus = new EventBus((error) => {
      throw error;
    });
    const feed = new EventFeed(bus, { capacity: 200_000, pacer: { isQuiet: () => true, maxDeferMs: 500 } });
    const stream = feed.subscribe({ 'execution:started': (event) => event.scheduledAt });
    for (let at = 1; at <= 200_000; at++) bus.emit('execution:started', started('a', at));
    await new Promise((resolve) => setTimeout(resolve, 30));
    let read = 0;
    let readWhenTimerRan = -1;
    setTimeout(() => (readWhenTimerRan = read), 0);
    while (read < 200_000) {
      await stream.next();
      read++;
    }
    expect(readWhenTimerRan).toBeGreaterThan(0);
    expect(readWhenTimerRan).toBeLessThan(200_000);
    feed.close();
  });

  it('delivers anyway once deliveries have waited maxDeferMs', async () => {
    const bus = new EventBus((error) => {
      throw error;
    });
    const feed = new EventFeed(bus, { capacity: 10, pacer: { isQuiet: () => false, maxDeferMs: 50 } });
    const stream = feed.subscribe({ 'execution:started': (event) => event.scheduledAt });
    const waiting = stream.next();
    const since = performance.now();
    bus.emit('execution:started', started('a', 1));
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(performance.now() - since).toBeGreaterThanOrEqual(45);
    feed.close();
  });
});
