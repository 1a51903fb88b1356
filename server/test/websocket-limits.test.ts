import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connectSse, connectWebSocket, graphqlData, type LiveClient } from './graphql-helpers.ts';
import { useTestApp } from './helpers.ts';

const LIMIT = 1_024;

function open(base: string): WebSocket {
  return new WebSocket(`${base.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
}

describe('GraphQL over WebSocket, messages', () => {
  const server = useTestApp({ GRAPHQL_BODY_LIMIT_BYTES: LIMIT });

  it('closes a connection whose message is past GRAPHQL_BODY_LIMIT_BYTES, before any token is asked for', async () => {
    const socket = open(server.app.url);
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(LIMIT) } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(1009);
  });

  it('takes messages within the limit', async () => {
    const socket = open(server.app.url);
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(LIMIT / 2) } }));
    const [data] = (await once(socket, 'message')) as [Buffer];
    expect(JSON.parse(data.toString('utf8'))).toEqual({ type: 'connection_ack' });
    socket.close();
  });
});

const JOB_EVENTS = 'subscription { jobEvents { type } }';

/** The errors a subscription ends with; none while it stays open (within `waitMs`). */
async function endingErrors(client: LiveClient, waitMs = 3_000): Promise<string | null> {
  const recording = client.subscribe(JOB_EVENTS, {}, (data) => data);
  try {
    await recording.waitFor(() => true, { timeoutMs: waitMs });
    return null;
  } catch (error: unknown) {
    const message = (error as Error).message;
    return message.startsWith('subscription: no matching item') ? null : message;
  }
}

describe('live subscriptions, bounded', () => {
  const limited = useTestApp({ SUBSCRIBERS_MAX: 2 });
  const clients: LiveClient[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });
  const subscribers = async () => (await graphqlData(limited.app.url, '{ metrics { subscribers } }', {})).metrics.subscribers as number;

  it('refuses a subscription past SUBSCRIBERS_MAX with LIMIT, over WebSocket and SSE alike', async () => {
    const first = connectWebSocket(limited.app.url);
    const second = connectSse(limited.app.url);
    clients.push(first, second);
    first.subscribe(JOB_EVENTS, {}, (data) => data);
    second.subscribe(JOB_EVENTS, {}, (data) => data);
    const deadline = Date.now() + 5_000;
    while ((await subscribers()) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await subscribers()).toBe(2);
    const overWs = connectWebSocket(limited.app.url);
    const overSse = connectSse(limited.app.url);
    clients.push(overWs, overSse);
    expect(await endingErrors(overWs)).toContain('"code":"LIMIT"');
    expect(await endingErrors(overSse)).toContain('"code":"LIMIT"');
    expect(await subscribers()).toBe(2);
  });
});

describe('live subscriptions, the last place taken twice at once', () => {
  const single = useTestApp({ SUBSCRIBERS_MAX: 1 });

  it('refuses the second of two subscriptions sent together on one connection, and keeps the first and the connection', async () => {
    const client = connectWebSocket(single.app.url);
    try {
      const [first, second] = await Promise.all([endingErrors(client), endingErrors(client)]);
      expect([first, second].filter((errors) => errors === null)).toHaveLength(1);
      expect([first, second].find((errors) => errors !== null)).toContain('"code":"LIMIT"');
      expect((await graphqlData(single.app.url, '{ metrics { subscribers } }', {})).metrics.subscribers).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('live subscriptions on one connection', () => {
  const server = useTestApp();

  it('takes at most 100 open subscriptions on one WebSocket connection', async () => {
    const client = connectWebSocket(server.app.url);
    try {
      const open = Array.from({ length: 100 }, () => client.subscribe(JOB_EVENTS, {}, (data) => data));
      expect(open).toHaveLength(100);
      expect(await endingErrors(client)).toContain('at most 100 subscriptions may be open on one connection');
      // The first 100 stay open.
      expect((await graphqlData(server.app.url, '{ metrics { subscribers } }', {})).metrics.subscribers).toBe(100);
    } finally {
      await client.close();
    }
  });
});
