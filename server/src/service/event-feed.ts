import type { EventBus, EventName, ZeitgeberEvents } from '../engine/events.ts';

/** Per event, how its payload becomes an item of a subscriber's stream; null leaves it out. */
export type FeedSelectors<T> = { [K in EventName]?: (payload: ZeitgeberEvents[K]) => T | null };

export interface EventFeedStats {
  /** Subscriptions open now. */
  subscribers: number;
  /** Items dropped since start because a subscriber's buffer was full. */
  droppedEvents: number;
}

/** Items a subscriber may have waiting before the oldest are dropped. */
export const DEFAULT_SUBSCRIBER_BUFFER = 1_000;

/**
 * One subscriber's stream: a fixed ring of pending items, filled in the bus's tick and read by one
 * consumer. When the ring is full the oldest item is dropped, since a live view wants the latest.
 */
class FeedSubscription<T> implements AsyncIterableIterator<T> {
  readonly #ring: Array<T | undefined>;
  #start = 0;
  #length = 0;
  #waiting: ((result: IteratorResult<T>) => void) | null = null;
  #ended = false;

  constructor(
    capacity: number,
    private readonly onDrop: () => void,
    private readonly onEnd: () => void,
  ) {
    this.#ring = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    if (this.#ended) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: item, done: false });
      return;
    }
    if (this.#length === this.#ring.length) {
      this.#ring[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.#ring.length;
      this.#length--;
      this.onDrop();
    }
    this.#ring[(this.#start + this.#length) % this.#ring.length] = item;
    this.#length++;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#length > 0) {
      const value = this.#ring[this.#start] as T;
      this.#ring[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.#ring.length;
      this.#length--;
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops the stream: pending items are discarded and a waiting reader is told it is done. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#ring.fill(undefined);
    this.#length = 0;
    this.#waiting?.({ value: undefined, done: true });
    this.#waiting = null;
    this.onEnd();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Fans the event bus out to consumers that may be slow or stuck (GraphQL subscriptions) without
 * ever slowing the emitter: the bus only pushes into each subscriber's own bounded buffer, in its
 * own tick; delivery happens when the consumer reads. A full buffer drops and counts.
 */
export class EventFeed {
  readonly #bus: EventBus;
  readonly #capacity: number;
  readonly #open = new Set<FeedSubscription<unknown>>();
  #dropped = 0;

  constructor(bus: EventBus, capacity: number = DEFAULT_SUBSCRIBER_BUFFER) {
    this.#bus = bus;
    this.#capacity = capacity;
  }

  get stats(): EventFeedStats {
    return { subscribers: this.#open.size, droppedEvents: this.#dropped };
  }

  /** Opens a stream of the selected events; it ends on `return()` or `close()`. */
  subscribe<T>(selectors: FeedSelectors<T>): AsyncIterableIterator<T> {
    const offs: Array<() => void> = [];
    const subscription: FeedSubscription<T> = new FeedSubscription<T>(
      this.#capacity,
      () => this.#dropped++,
      () => {
        for (const off of offs) off();
        this.#open.delete(subscription as FeedSubscription<unknown>);
      },
    );
    for (const [event, select] of Object.entries(selectors) as Array<[EventName, (payload: never) => T | null]>) {
      offs.push(
        this.#bus.on(event, (payload) => {
          const item = select(payload as never);
          if (item !== null) subscription.push(item);
        }),
      );
    }
    this.#open.add(subscription as FeedSubscription<unknown>);
    return subscription;
  }

  /** Ends every open stream (at shutdown). */
  close(): void {
    for (const subscription of [...this.#open]) subscription.end();
  }
}
