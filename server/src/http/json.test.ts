import { once } from 'node:events';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { graphqlBody, sendJsonArray } from './json.ts';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('graphqlBody', () => {
  it('hands Yoga a JSON object already parsed, for the content types Yoga parses as JSON', () => {
    const operation = { query: '{ health }', variables: { a: 1 } };
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/graphql+json', 'application/json, text/plain']) {
      expect(graphqlBody(bytes(JSON.stringify(operation)), type)).toEqual(operation);
    }
  });

  it('leaves anything else as the bytes, for Yoga to answer as before', () => {
    const cases: Array<[string, string | undefined]> = [
      ['{"query":"{ health }"}', 'application/x-www-form-urlencoded'],
      ['{"query":"{ health }"}', undefined],
      ['{"query":', 'application/json'],
      ['[{"query":"{ health }"}]', 'application/json'],
      ['null', 'application/json'],
      ['{}', 'application/json'],
      ['42', 'application/json'],
      ['\uFEFF{"query":"{ health }"}', 'application/json'],
    ];
    for (const [text, type] of cases) {
      const body = bytes(text);
      expect(graphqlBody(body, type)).toBe(body);
    }
  });
});

describe('sendJsonArray', () => {
  /** Serves `chunks` through sendJsonArray; resolves with the server and the promise of the handler. */
  async function serve(chunks: () => AsyncGenerator<number[]>): Promise<{ server: Server; url: string; handled: Promise<void> }> {
    let done!: (value: Promise<void>) => void;
    const handled = new Promise<void>((resolve) => (done = (value) => void value.then(resolve, resolve)));
    const server = createServer((_request, response) => done(sendJsonArray(response, chunks(), (n) => ({ n }))));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, handled };
  }

  it('writes the items of every chunk as one JSON array, and [] for none', async () => {
    async function* three() {
      yield [1, 2];
      yield [];
      yield [3];
    }
    async function* none() {}
    for (const [chunks, expected] of [[three, [{ n: 1 }, { n: 2 }, { n: 3 }]], [none, []]] as const) {
      const { server, url, handled } = await serve(chunks);
      const text = await (await fetch(url)).text();
      expect(JSON.parse(text)).toEqual(expected);
      await handled;
      server.close();
    }
  });

  it('stops once the client went away while the next chunk was being read, instead of waiting for a drain', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    async function* slow() {
      try {
        yield [1];
        // The client goes away while this chunk is on its way (the engine's quiet moment, a read).
        await gate;
        yield Array.from({ length: 100_000 }, (_, i) => i);
        yield [2];
      } finally {
        finished = true;
      }
    }
    let closed!: Promise<unknown>;
    let done!: (value: Promise<void>) => void;
    const handled = new Promise<void>((resolve) => (done = (value) => void value.then(resolve, resolve)));
    const server = createServer((_request, response) => {
      closed = once(response, 'close');
      done(sendJsonArray(response, slow(), (n) => ({ n })));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    await new Promise<void>((resolve) => {
      const request = get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
    });
    await closed;
    release();
    await handled;
    expect(finished).toBe(true);
    server.close();
  });
});
