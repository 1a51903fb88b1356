import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config.ts';
import { createAuthStore } from '../lib/auth-store.ts';
import { createApiAccess, UNAUTHORIZED_CLOSE_CODE } from '../lib/graphql-client.ts';
import { createFakeApi } from '../testing/fake-api.ts';
import { createFakeGraphqlWs, type InitAnswer } from '../testing/fake-graphql-ws.ts';
import { App } from './app.tsx';

const WRITE_TOKEN = 'write-token-0123456789';
const STORAGE_KEY = 'zeitgeber.apiToken';
const TOKEN_PAGE = { name: 'This Zeitgeber needs an API token' };

const OVERVIEW = {
  health: { status: 'ok', uptimeSeconds: 60, activeJobs: 0, timestamp: '2026-11-26T22:00:00.000Z' },
  metrics: {
    totalExecutions: 0,
    successCount: 0,
    failureCount: 0,
    jobs: 0,
    activeJobs: 0,
    fires: 0,
    inFlight: 0,
    queuedFires: 0,
    fireLagP50Ms: null,
    fireLagP99Ms: null,
    fireLagMaxMs: null,
    subscribers: 1,
    droppedEvents: 0,
  },
};

/** The socket side of the same tokens: a known token in connection_init is acknowledged, anything else closed with 4401. */
function socketAccepting(tokens: readonly string[]): (payload: unknown) => InitAnswer {
  return (payload) => {
    const authorization = (payload as { authorization?: string } | undefined)?.authorization;
    if (tokens.length === 0 || tokens.some((token) => authorization === `Bearer ${token}`)) return { ack: true };
    return { closeCode: UNAUTHORIZED_CLOSE_CODE, reason: 'the token is not valid' };
  };
}

function renderApp(tokens: Record<string, 'read' | 'write'>, socket = socketAccepting(Object.keys(tokens))) {
  const api = createFakeApi(tokens, { Overview: () => ({ data: OVERVIEW }), TokenCheck: () => ({ data: { __typename: 'Query' } }) });
  const ws = createFakeGraphqlWs(socket);
  const access = createApiAccess(parseConfig({}, 'http://zeitgeber.test'), { fetch: api.fetch, webSocketImpl: ws.WebSocket });
  render(<App api={access} auth={createAuthStore(window.sessionStorage)} />);
  return { api, ws, user: userEvent.setup() };
}

beforeEach(() => window.history.replaceState(null, '', '/dashboard/'));

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
});

describe('App with API tokens', () => {
  it('shows the dashboard without asking when the server wants no token', async () => {
    const { api, ws } = renderApp({});
    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(await screen.findByText('Live')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
    expect(api.requests.every((request) => request.authorization === null)).toBe(true);
    expect(ws.inits).toEqual([undefined]);
  });

  it('asks for a token, refuses a wrong one, then sends the right one on every request and on the socket', async () => {
    const { api, ws, user } = renderApp({ [WRITE_TOKEN]: 'write' });
    expect(await screen.findByRole('heading', TOKEN_PAGE)).toBeTruthy();
    const field = screen.getByLabelText('API token');
    expect(field.getAttribute('type')).toBe('password');

    await user.type(field, 'wrong-token-0123456789');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This token was not accepted. Check it and try again.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(window.sessionStorage.getItem(STORAGE_KEY)).toBeNull();

    await user.clear(field);
    await user.type(field, WRITE_TOKEN);
    const signedInAt = api.requests.length;
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(window.sessionStorage.getItem(STORAGE_KEY)).toBe(WRITE_TOKEN);
    const sent = api.requests.slice(signedInAt);
    expect(sent.map((request) => request.operationName)).toContain('Overview');
    expect(sent.every((request) => request.authorization === `Bearer ${WRITE_TOKEN}`)).toBe(true);
    await waitFor(() => expect(ws.inits.at(-1)).toEqual({ authorization: `Bearer ${WRITE_TOKEN}` }));
  });

  it('signs out: forgets the token and asks for one again', async () => {
    window.sessionStorage.setItem(STORAGE_KEY, WRITE_TOKEN);
    const { user } = renderApp({ [WRITE_TOKEN]: 'write' });
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', TOKEN_PAGE)).toBeTruthy();
    expect(screen.getByText('You signed out and the token was forgotten. Enter a token to continue.')).toBeTruthy();
    expect(window.sessionStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('asks again, saying so, when a kept token is no longer accepted', async () => {
    window.sessionStorage.setItem(STORAGE_KEY, 'revoked-token-0123456789');
    renderApp({ [WRITE_TOKEN]: 'write' });
    expect(await screen.findByRole('heading', TOKEN_PAGE)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('This token was not accepted. Check it and try again.');
    expect(window.sessionStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('asks again when the live feed closes with 4401, even while HTTP still answers', async () => {
    window.sessionStorage.setItem(STORAGE_KEY, WRITE_TOKEN);
    const { ws } = renderApp({ [WRITE_TOKEN]: 'write' }, () => ({ closeCode: UNAUTHORIZED_CLOSE_CODE, reason: 'the token is not valid' }));
    expect(await screen.findByRole('heading', TOKEN_PAGE)).toBeTruthy();
    expect(screen.getByText(/The token in use was refused/)).toBeTruthy();
    expect(ws.inits[0]).toEqual({ authorization: `Bearer ${WRITE_TOKEN}` });
  });
});
