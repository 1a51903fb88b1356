import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, checkPolicy } from '../domain/job-policy.ts';
import { createGotTransport } from './got-transport.ts';
import { BODY_PREFIX_BYTES, type Transport } from './transport.ts';
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
      } else if (request.url === '/big') {
        // 1 MiB of 'b' after a short marker, sent slowly in chunks: only its start may be read.
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('start:');
        let sent = 0;
        const timer = setInterval(() => {
          if (response.destroyed || sent >= 1_048_576) {
            clearInterval(timer);
            response.end();
            return;
          }
          response.write(Buffer.alloc(65_536, 98));
          sent += 65_536;
        }, 10);
        response.on('close', () => clearInterval(timer));
      } else if (request.url === '/cut') {
        // A failure whose body breaks off: what arrived still explains it.
        response.writeHead(500, { 'content-type': 'text/plain', 'content-length': '1000' });
        response.write('partial', () => setTimeout(() => response.destroy(), 20));
      } else if (request.url === '/gone') {
        response.writeHead(410);
        response.end('this hook is gone');
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
      expect(await transport.post({ url: `${base}/busy`, body: '{}', headers: {}, timeoutMs: 2_000 })).toEqual({ statusCode: 503, error: null, retryAfter: '7', body: null });
      expect(await transport.post({ url: `${base}/hang`, body: '{}', headers: {}, timeoutMs: 200 })).toEqual({ statusCode: null, error: 'timed out after 200 ms' });
      expect(await transport.post({ url: 'http://127.0.0.1:1/closed', body: '{}', headers: {}, timeoutMs: 2_000 })).toEqual({ statusCode: null, error: 'connection refused' });
    } finally {
      await transport.close();
    }
  });

  it('reads the body only when the policy needs it, and never more than its first bytes', async () => {
    const transport = create();
    const pattern = checkPolicy(DEFAULT_POLICY, { successBodyPattern: '^start:b+' });
    try {
      const plain = await transport.post({ url: `${base}/big`, body: '{}', headers: {}, timeoutMs: 5_000, policy: DEFAULT_POLICY });
      expect(plain).toMatchObject({ statusCode: 200, body: null });
      const read = await transport.post({ url: `${base}/big`, body: '{}', headers: {}, timeoutMs: 5_000, policy: pattern });
      expect(read.statusCode).toBe(200);
      expect(read.body).toHaveLength(BODY_PREFIX_BYTES);
      expect(read.body).toMatch(/^start:b+$/);
      const failed = await transport.post({ url: `${base}/gone`, body: '{}', headers: {}, timeoutMs: 2_000, policy: DEFAULT_POLICY });
      expect(failed).toMatchObject({ statusCode: 410, body: 'this hook is gone' });
      const unasked = await transport.post({ url: `${base}/gone`, body: '{}', headers: {}, timeoutMs: 2_000 });
      expect(unasked).toMatchObject({ statusCode: 410, body: null });
      const cut = await transport.post({ url: `${base}/cut`, body: '{}', headers: {}, timeoutMs: 2_000, policy: DEFAULT_POLICY });
      expect(cut).toMatchObject({ statusCode: 500, error: null, body: 'partial' });
      const after = await transport.post({ url: `${base}/ok`, body: '{}', headers: {}, timeoutMs: 2_000, policy: DEFAULT_POLICY });
      expect(after).toMatchObject({ statusCode: 200, error: null });
    } finally {
      await transport.close();
    }
  });
});
