import { describe, expect, it, vi } from 'vitest';
import { createConnectionStore } from './connection-store.ts';

describe('createConnectionStore', () => {
  it('goes from connecting to connected, then counts each comeback after a loss', () => {
    let clock = 1_000;
    const store = createConnectionStore(() => clock);
    const listener = vi.fn();
    store.subscribe(listener);
    expect(store.getState()).toEqual({ phase: 'connecting', since: 1_000, reconnects: 0 });

    clock = 2_000;
    store.connected();
    expect(store.getState()).toEqual({ phase: 'connected', since: 2_000, reconnects: 0 });

    clock = 3_000;
    store.closed();
    store.connecting(true);
    expect(store.getState()).toEqual({ phase: 'reconnecting', since: 3_000, reconnects: 0 });

    clock = 4_000;
    store.connected();
    expect(store.getState()).toEqual({ phase: 'connected', since: 4_000, reconnects: 1 });
    expect(listener).toHaveBeenCalledTimes(4);
  });

  it('stays connecting while the first attempts fail', () => {
    const store = createConnectionStore(() => 0);
    store.closed();
    store.connecting(false);
    expect(store.getState().phase).toBe('connecting');
  });

  it('stops notifying a listener that unsubscribed', () => {
    const store = createConnectionStore(() => 0);
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    unsubscribe();
    store.connected();
    expect(listener).not.toHaveBeenCalled();
  });
});
