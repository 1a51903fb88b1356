/** Why the dashboard asks for a token: none was given, the one given was refused, or the user signed out. */
export type AuthPrompt = 'needed' | 'rejected' | 'signed-out';

export interface AuthState {
  /** The API token sent with every request; null when none is kept. */
  readonly token: string | null;
  /** Set while the dashboard must ask for a token before it can show anything. */
  readonly prompt: AuthPrompt | null;
}

/** The API token of this browser tab, observable from React with `useSyncExternalStore`. */
export interface AuthStore {
  getState(): AuthState;
  subscribe(listener: () => void): () => void;
  /**
   * The server refused a request made with `sent` (HTTP 401, UNAUTHENTICATED, WebSocket 4401).
   * Ignored unless `sent` is the token in use: a late answer to an old token changes nothing.
   */
  refused(sent: string | null): void;
  /** Keeps a token the server accepted. */
  signIn(token: string): void;
  /** Forgets the token and asks for one again. */
  signOut(): void;
}

/** The storage the token lives in: the tab's sessionStorage, so it goes when the tab closes. */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const STORAGE_KEY = 'zeitgeber.apiToken';

/**
 * Holds the token for the session. The dashboard starts without asking: most servers need no
 * token, and one that does says so with its first answer (`refused`).
 */
export function createAuthStore(storage: TokenStorage): AuthStore {
  let state: AuthState = { token: storage.getItem(STORAGE_KEY), prompt: null };
  const listeners = new Set<() => void>();

  function update(next: AuthState): void {
    state = next;
    for (const listener of listeners) listener();
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refused(sent) {
      if (sent !== state.token || state.prompt !== null) return;
      storage.removeItem(STORAGE_KEY);
      update({ token: null, prompt: sent === null ? 'needed' : 'rejected' });
    },
    signIn(token) {
      storage.setItem(STORAGE_KEY, token);
      update({ token, prompt: null });
    },
    signOut() {
      storage.removeItem(STORAGE_KEY);
      update({ token: null, prompt: 'signed-out' });
    },
  };
}
