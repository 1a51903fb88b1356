import type { EventBus } from '../engine/events.ts';

export interface EnginePacerOptions {
  /** Milliseconds until the engine's next fire (Infinity when none is planned). */
  msUntilNextFire: () => number;
  events: EventBus;
  /** Longest the API's work waits for a quiet moment; past it, it runs regardless. */
  maxDeferMs?: number;
}

/** Work waits for a quiet moment at most this long by default: a burst of 5,000 fires is over by then. */
export const DEFAULT_MAX_DEFER_MS = 500;
/** The API's work stops this long before a fire is due. */
const FIRE_MARGIN_MS = 25;
/**
 * A burst is under way while fires go out at least this densely: BURST_SENDS first attempts
 * within BURST_WINDOW_MS, about 530 a second. A burst sends thousands a second; calls ending all
 * through the second, retries, and a slow origin's line moving as its calls end send far fewer, and
 * the API's work between them delays no fire.
 */
const BURST_SENDS = 8;
const BURST_WINDOW_MS = 15;
/** How often waiting work looks again whether the engine is quiet. */
const RECHECK_MS = 5;
/**
 * Waiting requests let go per look: a few milliseconds of work each, so a crowd released at once
 * cannot run into the next fire.
 */
const RELEASE_PER_CHECK = 4;

interface Waiter {
  since: number;
  resolve: () => void;
}

export interface PacerStats {
  /** Pieces of work that found the engine busy and waited for a quiet moment. */
  deferred: number;
  /** Of those, the ones that waited maxDeferMs and ran regardless. */
  overdue: number;
}

/**
 * Tells when the engine is between bursts, so the API's work (reads, live-event fan-out) runs in
 * the quiet part of each second instead of competing with a burst of fires for the CPU — the
 * engine shares its thread with the API (ARCHITECTURE invariant 4: "strict batching"). Quiet: no
 * fire due within FIRE_MARGIN_MS, and no burst of first attempts going out (BURST_SENDS within
 * BURST_WINDOW_MS). Waiting is bounded by maxDeferMs, so a busy engine delays the API, never
 * starves it.
 */
export class EnginePacer {
  readonly #msUntilNextFire: () => number;
  readonly maxDeferMs: number;
  /** When the last BURST_SENDS first attempts went out, as a ring; #next is the oldest. */
  readonly #sends = new Float64Array(BURST_SENDS).fill(Number.NEGATIVE_INFINITY);
  #next = 0;
  readonly #off: () => void;
  #waiting: Waiter[] = [];
  #timer: NodeJS.Timeout | null = null;
  #deferred = 0;
  #overdue = 0;

  constructor(options: EnginePacerOptions) {
    this.#msUntilNextFire = options.msUntilNextFire;
    this.maxDeferMs = options.maxDeferMs ?? DEFAULT_MAX_DEFER_MS;
    this.#off = options.events.on('execution:started', (started) => {
      if (started.attempt !== 1) return;
      this.#sends[this.#next] = performance.now();
      this.#next = (this.#next + 1) % BURST_SENDS;
    });
  }

  get stats(): PacerStats {
    return { deferred: this.#deferred, overdue: this.#overdue };
  }

  /** Whether the engine is between bursts now. */
  isQuiet(now: number = performance.now()): boolean {
    return now - this.#sends[this.#next]! >= BURST_WINDOW_MS && this.#msUntilNextFire() >= FIRE_MARGIN_MS;
  }

  /**
   * Resolves at a quiet moment (now, when the engine is quiet and nothing waits), or once it has
   * waited maxDeferMs. Waiters go in arrival order, RELEASE_PER_CHECK at a time while the engine is
   * quiet; all those that waited maxDeferMs at once.
   */
  whenQuiet(): Promise<void> {
    const now = performance.now();
    if (this.#waiting.length === 0 && this.isQuiet(now)) return Promise.resolve();
    this.#deferred++;
    return new Promise((resolve) => {
      this.#waiting.push({ since: now, resolve });
      this.#timer ??= setTimeout(() => this.#release(), RECHECK_MS);
    });
  }

  /** Stops listening to the engine and lets every waiter go. */
  close(): void {
    this.#off();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const waiter of this.#waiting.splice(0)) waiter.resolve();
  }

  #release(): void {
    this.#timer = null;
    const now = performance.now();
    const quiet = this.isQuiet(now);
    let released = 0;
    // Work that waited maxDeferMs goes now, all of it: under overload a turn of the event loop can
    // take a second, and letting a few go per turn would starve the API.
    while (this.#waiting.length > 0) {
      const overdue = now - this.#waiting[0]!.since >= this.maxDeferMs;
      if (!overdue && !(quiet && released < RELEASE_PER_CHECK)) break;
      if (overdue) this.#overdue++;
      this.#waiting.shift()!.resolve();
      released++;
    }
    if (this.#waiting.length > 0) this.#timer = setTimeout(() => this.#release(), RECHECK_MS);
  }
}
