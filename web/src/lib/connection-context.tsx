import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { createConnectionStore, type ConnectionState, type ConnectionStore } from './connection-store.ts';

const fallbackStore = createConnectionStore();
const ConnectionContext = createContext<ConnectionStore>(fallbackStore);

/** Makes the live feed's connection state available to every view below. */
export function ConnectionProvider({ store, children }: { store: ConnectionStore; children: ReactNode }) {
  return <ConnectionContext.Provider value={store}>{children}</ConnectionContext.Provider>;
}

/** The live feed's connection state, re-rendering on every change. */
export function useConnectionState(): ConnectionState {
  const store = useContext(ConnectionContext);
  return useSyncExternalStore(store.subscribe, store.getState);
}

/**
 * Calls `onReconnect` each time the live feed comes back after a loss, so a view can refetch
 * what it may have missed while the socket was down.
 */
export function useOnReconnect(onReconnect: () => void): void {
  const { reconnects } = useConnectionState();
  const latest = useRef(onReconnect);
  latest.current = onReconnect;
  const seen = useRef(reconnects);
  useEffect(() => {
    if (reconnects === seen.current) return;
    seen.current = reconnects;
    latest.current();
  }, [reconnects]);
}
