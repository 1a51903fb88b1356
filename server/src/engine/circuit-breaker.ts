/** What the breaker keeps of one target origin. */
export interface BreakerState {
  readonly origin: string;
  /** Calls in a row that failed in transport (no answer) or answered 5xx. */
  failures: number;
  /** How the latest of them failed (e.g. "HTTP 503", "connection refused"), for the refusals' error. */
  lastFailure: string | null;
  /** While open: the instant from which one probe may go; 0 while closed. */
  openUntil: number;
  /** The half-open probe is in flight: everything else still waits for its verdict. */
  probing: boolean;
}

export interface CircuitBreakerOptions {
  /** Failures in a row (transport failures or 5xx) that open an origin's circuit; 0 never opens one. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one probe may go, in ms. */
  cooldownMs: number;
}

/**
 * closed: send. probe: send, as the one call that decides whether the circuit closes. open: do
 * not send (the caller records a failed execution, so the occurrence still has an outcome).
 */
export type Admission = 'closed' | 'probe' | 'open';

/**
 * A circuit breaker per target origin. After `failureThreshold` failures in a row the origin's
 * circuit opens: calls to it are refused at once for `cooldownMs` instead of piling up on a dead
 * host. Then one probe goes (half-open): an answer below 500 closes the circuit, a failure opens it
 * for another cooldown. A failure of a call sent before the circuit opened restarts the cooldown.
 * Any answer below 500 (429 and 4xx included) proves the host alive and resets the count.
 */
export class CircuitBreaker {
  readonly #options: CircuitBreakerOptions;
  /** Only the open circuits, for metrics: normally empty. */
  readonly #open = new Set<BreakerState>();
  #opened = 0;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
  }

  /** Circuits open now (half-open included). */
  get openCount(): number {
    return this.#open.size;
  }

  /** Times a circuit opened since start (re-opening after a failed probe included). */
  get openedTotal(): number {
    return this.#opened;
  }

  /** The origins whose circuit is open now. */
  openOrigins(): string[] {
    return [...this.#open].map((state) => state.origin);
  }

  /** Whether a call to this origin may go now. A 'probe' must be reported back with `probe: true`. */
  admit(state: BreakerState, now: number): Admission {
    if (state.openUntil === 0) return 'closed';
    if (!state.probing && now >= state.openUntil) {
      state.probing = true;
      return 'probe';
    }
    return 'open';
  }

  /** Reports how a sent call ended: `failure` describes a transport failure or a 5xx, null otherwise. */
  record(state: BreakerState, failure: string | null, probe: boolean, now: number): void {
    if (probe) state.probing = false;
    if (failure === null) {
      state.failures = 0;
      if (state.openUntil !== 0) {
        state.openUntil = 0;
        this.#open.delete(state);
      }
      return;
    }
    state.failures++;
    state.lastFailure = failure;
    const threshold = this.#options.failureThreshold;
    if (threshold === 0 || (state.failures < threshold && !probe)) return;
    if (state.openUntil === 0 || probe) this.#opened++;
    state.openUntil = now + this.#options.cooldownMs;
    this.#open.add(state);
  }

  /** The error of a call not sent because the circuit is open. */
  describeOpen(state: BreakerState): string {
    const when = state.probing ? 'a probe is in flight' : `next probe after ${new Date(state.openUntil).toISOString()}`;
    return `circuit open for ${state.origin} after ${state.failures} consecutive failures (last: ${state.lastFailure}); not sent (${when})`;
  }
}
