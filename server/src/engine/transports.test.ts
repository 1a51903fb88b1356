import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGotTransport } from './got-transport.ts';
import type { Transport } from './transport.ts';
import { createUndiciTransport } from './undici-transport.ts';

let server: Server;
let base: string;
const seen: Array<{ path: string; body: string; key: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ path: request.url ?? '', body, key: request.headers['idempotency-key'] as string | undefined });
      if (request.url === '/busy') {
        response.writeHead(503, { 'retry-after': '7' });
        response.end('busy');
      } else if (request.url === '/hang') {
        // never answers
      } else {
        response.end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe.each([
  ['undici', () => createUndiciTransport({ connectionsPerOrigin: 4 })],
  ['got', () => createGotTransport({ connectionsPerOrigin: 4 })],
])('the %s transport', (_name, create: () => Transport) => {
  it('posts the body with its headers and reports status, Retry-After, timeouts and refusals the same way', async () => {
    const transport = create();
    try {
      const ok = await transport.post({ url: `${base}/ok?x=1`, body: '{"a":1}', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, timeoutMs: 2_000 });
      expect(ok).toMatchObject({ statusCode: 200, error: null });
      expect(seen.at(-1)).toEqual({ path: '/ok?x=1', body: '{"a":1}', key: 'k1' });
      expect(await transport.post({ url: `${base}/busy`, body: '{}', headers: {}, timeoutMs: 2_000 })).toEqual({ statusCode: 503, error: null, retryAfter: '7' });
      expect(await transport.post({ url: `${base}/hang`, body: '{}', headers: {}, timeoutMs: 200 })).toEqual({ statusCode: null, error: 'timed out after 200 ms' });
      expect(await transport.post({ url: 'http://127.0.0.1:1/closed', body: '{}', headers: {}, timeoutMs: 2_000 })).toEqual({ statusCode: null, error: 'connection refused' });
    } finally {
      await transport.close();
    }
  });
});
