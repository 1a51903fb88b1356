import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requestJson, useTestApp } from './helpers.ts';

/** Sends `head` as is over a fresh connection; resolves with all the server answered before it closed. */
function rawRequest(base: string, head: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(head);
  });
}

describe('request targets the URL parser refuses', () => {
  const server = useTestApp();

  it.each(['//', '//:99999/'])('answers %s with a 400 and keeps serving', async (target) => {
    const answer = await rawRequest(server.app.url, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain(`{"error":"Not a valid request path: ${JSON.stringify(target).replace(/"/g, '\\"')}"}`);
    expect((await requestJson(server.app.url, 'GET', '/health')).status).toBe(200);
  });

  it('drops a WebSocket upgrade to such a target and keeps serving', async () => {
    const upgrade = ['GET // HTTP/1.1', 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', '', ''].join('\r\n');
    expect(await rawRequest(server.app.url, upgrade)).toBe('');
    expect((await requestJson(server.app.url, 'GET', '/health')).status).toBe(200);
  });
});
