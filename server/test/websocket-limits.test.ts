import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
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
