import type { EventBus } from '../engine/events.ts';

export interface EnginePacerOptions {
  /** Milliseconds until the engine's next fire (Infinity when none is planned). */
  msUntilNextFire: () => number;
  events: EventBus;
  /** Longest the API's work waits for a quiet moment; past it, it runs regardless. */
  maxDeferMs?: number;
  /** Milliseconds of a monotonic clock; performance.now() without. */
  now?: () => number;
}

/** Work waits for a quiet moment at most this long by default: a burst of 5,000 fires is over by then. */
export const DEFAULT_MAX_DEFER_MS = 500;
/** The API's work stops this long before a fire is due. */
const FIRE_MARGIN_MS = 25;
/**
 * A burst is under way while executions start or finish at least this densely: BURST_EVENTS of
 * them within BURST_WINDOW_MS, about 530 a second. A burst of fires makes thousands a second;
 * calls of scattered lengths ending all through the second, and retries going out, usually far
 * fewer, and the API's work between them delays no fire.
 */
const BURST_EVENTS = 8;
const BURST_WINDOW_MS = 15;
/** How often waiting work looks again whether the engine is quiet, while it is not. */
const RECHECK_MS = 5;

interface Waiter {
  since: number;
  resolve: () => void;
}

export interface PacerStats {
  /** Pieces of work that waited for a quiet moment: the engine was busy, or other work waited already. */
  deferred: number;
  /** Of those, the ones that waited maxDeferMs and were let go then, quiet or not. */
  overdue: number;
}

/**
 * Tells when the engine is between bursts, so the API's work (reads, live-event fan-out) runs in
 * the quiet part of each second instead of competing with a burst of fires for the CPU — the
 * engine shares its thread with the API (ARCHITECTURE invariant 4: "strict batching"). Quiet: no
 * fire due within FIRE_MARGIN_MS, and no burst of executions under way (BURST_EVENTS starts or
 * ends within BURST_WINDOW_MS). Waiting is bounded by maxDeferMs, so a busy engine delays the
 * API, never starves it.
 */
export class EnginePacer {
  readonly #msUntilNextFire: () => number;
  readonly maxDeferMs: number;
  readonly #now: () => number;
  /** When the last BURST_EVENTS executions started or finished, as a ring; #oldest is the oldest. */
  readonly #events = new Float64Array(BURST_EVENTS).fill(Number.NEGATIVE_INFINITY);
  #oldest = 0;
  readonly #offs: Array<() => void>;
  #waiting: Waiter[] = [];
  /** The next look at the waiters: a timer while the engine is busy, an immediate while it lets them go. */
  #next: { cancel(): void } | null = null;
  #deferred = 0;
  #overdue = 0;
  #closed = false;

  constructor(options: EnginePacerOptions) {
    this.#msUntilNextFire = options.msUntilNextFire;
    this.maxDeferMs = options.maxDeferMs ?? DEFAULT_MAX_DEFER_MS;
    this.#now = options.now ?? (() => performance.now());
    const noteExecution = (): void => {
      this.#events[this.#oldest] = this.#now();
      this.#oldest = (this.#oldest + 1) % BURST_EVENTS;
    };
    this.#offs = [options.events.on('execution:started', noteExecution), options.events.on('execution:finished', noteExecution)];
  }

  get stats(): PacerStats {
    return { deferred: this.#deferred, overdue: this.#overdue };
  }

  /** Whether the engine is between bursts now. */
  isQuiet(now: number = this.#now()): boolean {
    return now - this.#events[this.#oldest]! >= BURST_WINDOW_MS && this.#msUntilNextFire() >= FIRE_MARGIN_MS;
  }

  /**
   * Resolves at a quiet moment (now, when the engine is quiet and nothing waits), or once it has
   * waited maxDeferMs. Waiters go in arrival order, one per look while the engine is quiet, and the
   * next look comes once the work let go has run its synchronous part: a crowd let go at once could
   * run into the next fire. All those that waited maxDeferMs go at once.
   */
  whenQuiet(): Promise<void> {
    const now = this.#now();
    if (this.#closed || (this.#waiting.length === 0 && this.isQuiet(now))) return Promise.resolve();
    this.#deferred++;
    return new Promise((resolve) => {
      this.#waiting.push({ since: now, resolve });
      this.#next ??= this.#lookIn(RECHECK_MS);
    });
  }

  /** Stops listening to the engine and lets every waiter go; work asked for from then on waits for nothing. */
  close(): void {
    this.#closed = true;
    for (const off of this.#offs) off();
    this.#next?.cancel();
    this.#next = null;
    for (const waiter of this.#waiting.splice(0)) waiter.resolve();
  }

  #release(): void {
    this.#next = null;
    const now = this.#now();
    const quiet = this.isQuiet(now);
    // Work that waited maxDeferMs goes now, all of it: under overload a turn of the event loop can
    // take a second, and letting one go per turn would starve the API.
    while (this.#waiting.length > 0 && now - this.#waiting[0]!.since >= this.maxDeferMs) {
      this.#overdue++;
      this.#waiting.shift()!.resolve();
    }
    if (quiet) this.#waiting.shift()?.resolve();
    if (this.#waiting.length > 0) this.#next = quiet ? this.#lookNow() : this.#lookIn(RECHECK_MS);
  }

  #lookIn(ms: number): { cancel(): void } {
    const timer = setTimeout(() => this.#release(), ms);
    return { cancel: () => clearTimeout(timer) };
  }

  /** After the microtasks of the work just let go, and the I/O due. */
  #lookNow(): { cancel(): void } {
    const immediate = setImmediate(() => this.#release());
    return { cancel: () => clearImmediate(immediate) };
  }
}
