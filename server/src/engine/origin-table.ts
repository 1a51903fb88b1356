import type { BreakerState } from './circuit-breaker.ts';

/** One target origin as the dispatcher sees it: its calls in flight, its waiting line, its breaker. */
export interface OriginState<T> extends BreakerState {
  inFlight: number;
  /** Occurrences waiting for one of this origin's call slots, FIFO with a moving head; made on first use. */
  parked: T[] | null;
  parkedHead: number;
}

/** Target URLs remembered with their origin: a job sends to the same URL at every fire. */
const URL_CACHE_SIZE = 100_000;
/** Origins kept before idle, healthy ones are forgotten. */
const ORIGIN_TABLE_SIZE = 100_000;

/** The origin of a URL (scheme, host and port); the URL itself when it cannot be parsed. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * The state of each target origin, found from a job's URL with two map lookups (the parsed origin
 * is cached per URL). Bounded: past ORIGIN_TABLE_SIZE origins, those with nothing in flight,
 * nothing waiting and a closed, clean breaker are forgotten (they hold nothing worth keeping).
 */
export class OriginTable<T> {
  readonly #origins = new Map<string, OriginState<T>>();
  readonly #urls = new Map<string, string>();

  get size(): number {
    return this.#origins.size;
  }

  /** The state of the URL's origin, made on first use. */
  of(url: string): OriginState<T> {
    let origin = this.#urls.get(url);
    if (origin === undefined) {
      origin = originOf(url);
      if (this.#urls.size >= URL_CACHE_SIZE) this.#urls.delete(this.#urls.keys().next().value!);
      this.#urls.set(url, origin);
    }
    let state = this.#origins.get(origin);
    if (!state) {
      if (this.#origins.size >= ORIGIN_TABLE_SIZE) this.#forgetIdle();
      state = { origin, inFlight: 0, parked: null, parkedHead: 0, failures: 0, lastFailure: null, openUntil: 0, probing: false };
      this.#origins.set(origin, state);
    }
    return state;
  }

  /** Puts an occurrence at the end of the origin's waiting line. */
  park(state: OriginState<T>, item: T): void {
    (state.parked ??= []).push(item);
  }

  /** Takes the first occurrence of the origin's waiting line, if any. */
  unpark(state: OriginState<T>): T | undefined {
    const parked = state.parked;
    if (parked === null) return undefined;
    const item = parked[state.parkedHead++];
    if (state.parkedHead >= parked.length) {
      state.parked = null;
      state.parkedHead = 0;
    }
    return item;
  }

  #forgetIdle(): void {
    for (const [origin, state] of this.#origins) {
      if (state.inFlight === 0 && state.parked === null && state.failures === 0 && state.openUntil === 0) this.#origins.delete(origin);
    }
  }
}
