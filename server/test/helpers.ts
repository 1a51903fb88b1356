import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startApp, type App, type AppOptions } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';

/** A fresh folder for a test's SQLite file; removed by `remove()`. */
export function createTempDatabase(): { url: string; path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'zeitgeber-test-'));
  const path = join(dir, 'zeitgeber.db');
  return { url: `file:${path}`, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real server on an ephemeral port of 127.0.0.1, with quiet logs. */
export async function startTestApp(databaseUrl: string, overrides: Partial<Config> = {}, options: Partial<AppOptions> = {}): Promise<App> {
  const config = loadConfig({}, { PORT: 0, HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, ...overrides });
  return startApp({ config, logger: createLogger(config.LOG_LEVEL), ...options });
}

/** The server a suite shares (see useTestApp), and the database file it runs on. */
export interface TestAppFixture {
  /** The running server; there from the suite's beforeAll on. */
  readonly app: App;
  readonly database: { url: string; path: string };
}

/**
 * The real server on a fresh temporary database for the tests of the calling suite (or file):
 * started before its first test, stopped and its database removed after its last.
 */
export function useTestApp(overrides: Partial<Config> = {}): TestAppFixture {
  const database = createTempDatabase();
  let started: App | undefined;
  beforeAll(async () => {
    started = await startTestApp(database.url, overrides);
  });
  afterAll(async () => {
    await started?.stop();
    database.remove();
  });
  return {
    database,
    get app(): App {
      if (started === undefined) throw new Error('useTestApp: the server starts in beforeAll; ask for it inside a test');
      return started;
    },
  };
}

/** A request as a target saw it. */
export interface ReceivedRequest {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Target {
  url: string;
  received: ReceivedRequest[];
  /** Answers every following request with this status. */
  respondWith(status: number): void;
  /** Resolves with the first request (already received or to come) that matches. */
  waitFor(match: (request: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** A real HTTP endpoint on 127.0.0.1 that records every request it gets. */
export async function startTarget(): Promise<Target> {
  const received: ReceivedRequest[] = [];
  const waiters: Array<{ match: (r: ReceivedRequest) => boolean; resolve: (r: ReceivedRequest) => void }> = [];
  let status = 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      const entry: ReceivedRequest = { at: Date.now(), path: request.url ?? '/', headers: request.headers, body };
      received.push(entry);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(entry)) waiter.resolve(entry);
        else waiters.push(waiter);
      }
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status < 300 ? 'ok' : 'failed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respondWith(next) {
      status = next;
    },
    waitFor(match, timeoutMs = 10_000) {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`target: no matching request within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          match,
          resolve: (request) => {
            clearTimeout(timer);
            resolve(request);
          },
        });
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Reads until `done` holds and returns that value; fails naming the last value read when it does
 * not hold within `timeoutMs`. For outcomes written asynchronously (batches, alerts).
 */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let value = await read(); ; value = await read()) {
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${String(JSON.stringify(value)).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** JSON over HTTP against the app: returns the status and the parsed body. */
export async function requestJson(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}
