/** Where the live feed's socket is: opening for the first time, open, or lost and retrying. */
export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting';

export interface ConnectionState {
  readonly phase: ConnectionPhase;
  /** When the current phase began (ms since the epoch). */
  readonly since: number;
  /** How many times the socket came back after a loss; views refetch when it grows. */
  readonly reconnects: number;
}

/** The live feed's connection state, observable from React with `useSyncExternalStore`. */
export interface ConnectionStore {
  getState(): ConnectionState;
  subscribe(listener: () => void): () => void;
  /** A connection attempt starts (`isRetry` after a loss). */
  connecting(isRetry: boolean): void;
  connected(): void;
  /** The socket closed; the client retries by itself. */
  closed(): void;
}

export function createConnectionStore(now: () => number = Date.now): ConnectionStore {
  let state: ConnectionState = { phase: 'connecting', since: now(), reconnects: 0 };
  let everConnected = false;
  const listeners = new Set<() => void>();

  function update(next: Partial<ConnectionState>): void {
    const phase = next.phase ?? state.phase;
    const since = phase === state.phase ? state.since : now();
    state = { ...state, ...next, phase, since };
    for (const listener of listeners) listener();
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connecting(isRetry) {
      if (isRetry || everConnected) update({ phase: 'reconnecting' });
    },
    connected() {
      const reconnects = everConnected ? state.reconnects + 1 : state.reconnects;
      everConnected = true;
      update({ phase: 'connected', reconnects });
    },
    closed() {
      if (everConnected) update({ phase: 'reconnecting' });
    },
  };
}
