import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthStore } from './auth-store.ts';

afterEach(() => window.sessionStorage.clear());

describe('createAuthStore', () => {
  it('starts from the token kept in the session, without asking', () => {
    window.sessionStorage.setItem('zeitgeber.apiToken', 'kept-token-0123456789');
    expect(createAuthStore(window.sessionStorage).getState()).toEqual({ token: 'kept-token-0123456789', prompt: null });
  });

  it('asks for a token when the server refuses a request without one', () => {
    const store = createAuthStore(window.sessionStorage);
    const listener = vi.fn();
    store.subscribe(listener);
    store.refused(null);
    expect(store.getState()).toEqual({ token: null, prompt: 'needed' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps an accepted token for the session, and forgets a refused one', () => {
    const store = createAuthStore(window.sessionStorage);
    store.signIn('good-token-0123456789');
    expect(window.sessionStorage.getItem('zeitgeber.apiToken')).toBe('good-token-0123456789');
    store.refused('good-token-0123456789');
    expect(store.getState()).toEqual({ token: null, prompt: 'rejected' });
    expect(window.sessionStorage.getItem('zeitgeber.apiToken')).toBeNull();
  });

  it('ignores a refusal of a token no longer in use, and a second refusal while asking', () => {
    const store = createAuthStore(window.sessionStorage);
    store.signIn('new-token-0123456789');
    store.refused('old-token-0123456789');
    expect(store.getState().prompt).toBeNull();
    store.refused('new-token-0123456789');
    store.refused(null);
    expect(store.getState().prompt).toBe('rejected');
  });

  it('forgets the token on sign out and asks again', () => {
    const store = createAuthStore(window.sessionStorage);
    store.signIn('good-token-0123456789');
    store.signOut();
    expect(store.getState()).toEqual({ token: null, prompt: 'signed-out' });
    expect(window.sessionStorage.getItem('zeitgeber.apiToken')).toBeNull();
  });
});
