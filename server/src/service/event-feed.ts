import { LimitError } from '../domain/errors.ts';
import type { EventBus, EventName, ZeitgeberEvents } from '../engine/events.ts';

/** Per event, how its payload becomes an item of a subscriber's stream; null leaves it out. */
export type FeedSelectors<T> = { [K in EventName]?: (payload: ZeitgeberEvents[K]) => T | null };

export interface EventFeedStats {
  /** Subscriptions open now, as clients see them (a shared source is not counted). */
  subscribers: number;
  /** Items dropped since start because a subscriber's buffer was full. */
  droppedEvents: number;
  /** Distinct shared sources open now: each serves every subscriber of one operation. */
  sharedSources: number;
}

export interface EventFeedOptions {
  /** Items a subscriber may have waiting before the oldest are dropped. */
  capacity?: number;
  /** Subscribers open at once at most; past it a new one is refused (LimitError). Default: DEFAULT_MAX_SUBSCRIBERS. */
  maxSubscribers?: number;
  /**
   * Tells when the engine is between bursts (EnginePacer). Given, deliveries wait for a quiet
   * moment (at most its maxDeferMs), so the fan-out never competes with the fires for the CPU.
   * Absent: every item is delivered at once.
   */
  pacer?: Pacer;
}

/** What the feed asks of an EnginePacer. */
export interface Pacer {
  isQuiet(now: number): boolean;
  readonly maxDeferMs: number;
}

/**
 * Items a subscriber may have waiting before the oldest are dropped: a burst of 5,000 fires (their
 * STARTED and outcome events) while deliveries wait for the engine to be quiet. Items are shared
 * between subscribers, so a full buffer costs a slot per item (100 subscribers: ~8 MB).
 */
export const DEFAULT_SUBSCRIBER_BUFFER = 10_000;
/** Subscribers at once by default: each may hold DEFAULT_SUBSCRIBER_BUFFER items. */
export const DEFAULT_MAX_SUBSCRIBERS = 1_000;
/** How often parked deliveries look again whether the engine is quiet. */
const RECHECK_MS = 5;
/**
 * Longest run of deliveries in one turn of the event loop: then they yield, so a timer that is due
 * (the engine's next fire) never waits behind a fan-out for longer than this.
 */
const SLICE_MS = 4;

/** Opens streams of the bus's events: the feed itself, or a shared source's view of it (EventFeed.share). */
export interface FeedSource {
  /** Opens a stream of the selected events, one item per read. */
  subscribe<T>(selectors: FeedSelectors<T>): AsyncIterableIterator<T>;
  /** Opens a stream of the selected events in batches of at most `limit` items per read. */
  subscribeBatches<T>(selectors: FeedSelectors<T>, limit: number): AsyncIterableIterator<T[]>;
}

/** Decides when parked readers may be handed their items. */
interface DeliveryGate {
  isOpen(): boolean;
  park(wake: () => void): void;
}

/**
 * One subscriber's stream: a fixed ring of pending items, filled in the bus's tick and read by one
 * consumer. When the ring is full the oldest item is dropped, since a live view wants the latest.
 * A reader is handed an item only while the gate is open; otherwise it waits for the gate. With a
 * batch limit, a read takes every pending item (up to the limit) as one array: what piled up
 * during a burst leaves as one message.
 */
class FeedSubscription<T, Out = T> implements AsyncIterableIterator<Out> {
  readonly #ring: Array<T | undefined>;
  #start = 0;
  #length = 0;
  #waiting: ((result: IteratorResult<Out>) => void) | null = null;
  #parked = false;
  #ended = false;

  constructor(
    capacity: number,
    /** 0: one item per read; else at most this many per read, as an array. */
    private readonly batchLimit: number,
    private readonly gate: DeliveryGate,
    private readonly onDrop: () => void,
    private readonly onEnd: () => void,
  ) {
    this.#ring = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    if (this.#ended) return;
    if (this.#length === this.#ring.length) {
      this.#ring[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.#ring.length;
      this.#length--;
      this.onDrop();
    }
    this.#ring[(this.#start + this.#length) % this.#ring.length] = item;
    this.#length++;
    if (this.#waiting) this.#deliver();
  }

  next(): Promise<IteratorResult<Out>> {
    if (this.#length > 0 && this.gate.isOpen()) return Promise.resolve({ value: this.#take(), done: false });
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
      if (this.#length > 0) this.#park();
    });
  }

  return(): Promise<IteratorResult<Out>> {
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

  #take(): Out {
    if (this.batchLimit === 0) return this.#takeOne() as unknown as Out;
    const batch: T[] = [];
    while (this.#length > 0 && batch.length < this.batchLimit) batch.push(this.#takeOne());
    return batch as unknown as Out;
  }

  #takeOne(): T {
    const value = this.#ring[this.#start] as T;
    this.#ring[this.#start] = undefined;
    this.#start = (this.#start + 1) % this.#ring.length;
    this.#length--;
    return value;
  }

  /** Hands the waiting reader the oldest item if the gate is open; else waits for the gate. */
  #deliver(): void {
    if (this.#waiting === null || this.#length === 0) return;
    if (!this.gate.isOpen()) {
      this.#park();
      return;
    }
    const resolve = this.#waiting;
    this.#waiting = null;
    resolve({ value: this.#take(), done: false });
  }

  #park(): void {
    if (this.#parked) return;
    this.#parked = true;
    this.gate.park(() => {
      this.#parked = false;
      this.#deliver();
    });
  }
}

/** Subscribers of one operation, fed by a single source. */
interface SharedGroup<T> {
  members: Set<FeedSubscription<T>>;
  /** The source, once open; null while it is being opened. */
  source: AsyncIterator<T> | null;
  /**
   * Settles once `open` has answered: true when it opened a stream; what it answered otherwise
   * (or its error), which those who came while it opened get too.
   */
  opening: Promise<true | { answer: unknown } | { error: unknown }>;
  closed: boolean;
}

/**
 * Fans the event bus out to consumers that may be slow or stuck (GraphQL subscriptions) without
 * ever slowing the emitter: the bus only pushes into each subscriber's own bounded buffer, in its
 * own tick; delivery happens when the consumer reads, and waits while the engine sends a burst
 * (bounded by the pacer's maxDeferMs). A full buffer drops and counts.
 *
 * Subscribers of the same operation can share one source (`share`): its items are computed once
 * and handed to each subscriber's own buffer, so a hundred dashboards watching every execution
 * cost one execution of the operation per event, not a hundred.
 */
export class EventFeed implements FeedSource {
  readonly #bus: EventBus;
  readonly #capacity: number;
  readonly #maxSubscribers: number;
  readonly #pacer: Pacer | null;
  readonly #open = new Set<FeedSubscription<unknown, unknown>>();
  readonly #groups = new Map<string, SharedGroup<unknown>>();
  #wakes: Array<() => void> = [];
  #recheck: { cancel(): void } | null = null;
  #busySince: number | null = null;
  /** When this turn's run of deliveries began; null until the first delivery of a turn. */
  #sliceStartedAt: number | null = null;
  #dropped = 0;
  #sources = 0;
  readonly #gate: DeliveryGate = {
    isOpen: () => this.#isGateOpen(),
    park: (wake) => {
      this.#wakes.push(wake);
      this.#scheduleRecheck();
    },
  };

  constructor(bus: EventBus, options: EventFeedOptions = {}) {
    this.#bus = bus;
    this.#capacity = options.capacity ?? DEFAULT_SUBSCRIBER_BUFFER;
    this.#maxSubscribers = options.maxSubscribers ?? DEFAULT_MAX_SUBSCRIBERS;
    this.#pacer = options.pacer ?? null;
  }

  get stats(): EventFeedStats {
    return { subscribers: this.#open.size - this.#sources, droppedEvents: this.#dropped, sharedSources: this.#sources };
  }

  /** Opens a stream of the selected events; it ends on `return()` or `close()`. */
  subscribe<T>(selectors: FeedSelectors<T>): AsyncIterableIterator<T> {
    this.admit();
    return this.#subscribe<T, T>(selectors, 0);
  }

  /**
   * Opens a stream of the selected events in batches: each read takes what is pending, up to
   * `limit` items. Between bursts that is everything a burst produced, in one message.
   */
  subscribeBatches<T>(selectors: FeedSelectors<T>, limit: number): AsyncIterableIterator<T[]> {
    this.admit();
    return this.#subscribe<T, T[]>(selectors, limit);
  }

  /** Throws LimitError when no new subscriber fits: maxSubscribers are open, each with a buffer of its own. */
  admit(): void {
    if (this.stats.subscribers >= this.#maxSubscribers) {
      throw new LimitError(`${this.#maxSubscribers} live subscriptions are open, the most the service serves at once (SUBSCRIBERS_MAX); try again later`);
    }
  }

  /** `readers`: the subscribers that lose an item this stream drops (more than one for a shared source). */
  #subscribe<T, Out>(selectors: FeedSelectors<T>, batchLimit: number, readers: () => number = () => 1): AsyncIterableIterator<Out> {
    const offs: Array<() => void> = [];
    const subscription = this.#stream<T, Out>(
      batchLimit,
      () => {
        for (const off of offs) off();
      },
      readers,
    );
    for (const [event, select] of Object.entries(selectors) as Array<[EventName, (payload: never) => T | null]>) {
      offs.push(
        this.#bus.on(event, (payload) => {
          const item = select(payload as never);
          if (item !== null) subscription.push(item);
        }),
      );
    }
    return subscription;
  }

  /**
   * Joins the subscribers of `key` (one operation with the same variables), opening the shared
   * source with `open` for the first of them. `open` opens its streams through the FeedSource it is
   * handed, so that an item the source drops counts once for every subscriber of the group, since
   * each of them loses it. When `open` answers something other than a stream (e.g. an error
   * result), that answer is returned and nothing is shared. The source is closed when its last
   * subscriber leaves.
   */
  async share<T, R>(key: string, open: (source: FeedSource) => Promise<AsyncIterable<T> | R>): Promise<AsyncIterableIterator<T> | R> {
    this.admit();
    const known = this.#groups.get(key) as SharedGroup<T> | undefined;
    if (known) {
      // One that came while the source was being opened gets what the first got.
      const opening = await known.opening;
      if (opening !== true) {
        if ('error' in opening) throw opening.error;
        return opening.answer as R;
      }
      // The group may have closed meanwhile (its members left): then this one opens a new one.
      return known.closed ? this.share(key, open) : this.#join(key, known);
    }
    let settle!: (opening: true | { answer: unknown } | { error: unknown }) => void;
    const group: SharedGroup<T> = { members: new Set(), source: null, opening: new Promise((resolve) => (settle = resolve)), closed: false };
    this.#groups.set(key, group as SharedGroup<unknown>);
    const readers = (): number => group.members.size;
    const source: FeedSource = {
      subscribe: <S>(selectors: FeedSelectors<S>) => this.#subscribe<S, S>(selectors, 0, readers),
      subscribeBatches: <S>(selectors: FeedSelectors<S>, limit: number) => this.#subscribe<S, S[]>(selectors, limit, readers),
    };
    let opened: AsyncIterable<T> | R;
    try {
      opened = await open(source);
    } catch (error: unknown) {
      this.#groups.delete(key);
      settle({ error });
      throw error;
    }
    if (!isAsyncIterable<T>(opened)) {
      this.#groups.delete(key);
      settle({ answer: opened });
      return opened;
    }
    group.source = opened[Symbol.asyncIterator]();
    this.#sources++;
    const member = this.#join(key, group);
    void this.#pump(key, group);
    settle(true);
    return member;
  }

  /** Ends every open stream (at shutdown). */
  close(): void {
    for (const subscription of [...this.#open]) subscription.end();
    this.#recheck?.cancel();
    this.#recheck = null;
    this.#wakes = [];
  }

  #stream<T, Out = T>(batchLimit: number, onEnd: () => void, readers: () => number = () => 1): FeedSubscription<T, Out> {
    const subscription: FeedSubscription<T, Out> = new FeedSubscription<T, Out>(
      this.#capacity,
      batchLimit,
      this.#gate,
      () => (this.#dropped += readers()),
      () => {
        onEnd();
        this.#open.delete(subscription as FeedSubscription<unknown, unknown>);
      },
    );
    this.#open.add(subscription as FeedSubscription<unknown, unknown>);
    return subscription;
  }

  #join<T>(key: string, group: SharedGroup<T>): FeedSubscription<T> {
    const member = this.#stream<T>(0, () => {
      group.members.delete(member);
      if (group.members.size === 0) this.#closeGroup(key, group);
    });
    group.members.add(member);
    return member;
  }

  /** Reads the shared source and copies each item into every member's buffer. */
  async #pump<T>(key: string, group: SharedGroup<T>): Promise<void> {
    const source = group.source!;
    try {
      for (let result = await source.next(); !result.done && !group.closed; result = await source.next()) {
        for (const member of group.members) member.push(result.value);
      }
    } finally {
      for (const member of [...group.members]) member.end();
      this.#closeGroup(key, group);
    }
  }

  #closeGroup<T>(key: string, group: SharedGroup<T>): void {
    if (group.closed) return;
    group.closed = true;
    if (this.#groups.get(key) === group) this.#groups.delete(key);
    if (group.source !== null) this.#sources--;
    void group.source?.return?.();
  }

  /**
   * Open when the engine is quiet, or when deliveries have waited longer than the pacer's
   * maxDeferMs; in either case only for SLICE_MS per turn of the event loop.
   */
  #isGateOpen(): boolean {
    if (this.#pacer === null) return true;
    const now = performance.now();
    if (this.#sliceStartedAt === null) {
      this.#sliceStartedAt = now;
      setImmediate(() => (this.#sliceStartedAt = null));
    } else if (now - this.#sliceStartedAt >= SLICE_MS) {
      return false;
    }
    if (this.#pacer.isQuiet(now)) {
      this.#busySince = null;
      return true;
    }
    this.#busySince ??= now;
    return now - this.#busySince >= this.#pacer.maxDeferMs;
  }

  /**
   * Looks again in the next turn when this turn's slice is spent (the engine is quiet: carry on),
   * else after RECHECK_MS.
   */
  #scheduleRecheck(): void {
    if (this.#recheck !== null) return;
    if (this.#sliceStartedAt !== null && performance.now() - this.#sliceStartedAt >= SLICE_MS) {
      const immediate = setImmediate(() => this.#wakeParked());
      this.#recheck = { cancel: () => clearImmediate(immediate) };
    } else {
      const timeout = setTimeout(() => this.#wakeParked(), RECHECK_MS);
      this.#recheck = { cancel: () => clearTimeout(timeout) };
    }
  }

  #wakeParked(): void {
    this.#recheck = null;
    if (this.#wakes.length === 0) return;
    if (!this.#isGateOpen()) {
      this.#scheduleRecheck();
      return;
    }
    const wakes = this.#wakes;
    this.#wakes = [];
    for (const wake of wakes) wake();
  }
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
