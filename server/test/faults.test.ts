import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import type { ExecutionRecord } from '../src/domain/occurrence.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, type Target } from './helpers.ts';

/** A raw TCP endpoint on 127.0.0.1 that misbehaves in a chosen way. */
async function startRawTarget(onSocket: (socket: Socket) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const database = createTempDatabase();
let app: App;
let alerts: Target;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  alerts = await startTarget();
  app = await startTestApp(database.url);
});

afterAll(async () => {
  await app.stop();
  await alerts.close();
  for (const close of closers) await close();
  database.remove();
});

/** Creates a job and resolves with its first finished attempt. */
async function firstAttempt(body: Record<string, unknown>): Promise<ExecutionRecord> {
  const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '* * * * * *', maxAttempts: 1, ...body });
  expect(created.status).toBe(201);
  return app.events.once('execution:finished', (record) => record.jobId === created.body.jobId);
}

describe('faulty targets', () => {
  it('a target that never answers fails the call at the job timeout', async () => {
    const hanging = await startRawTarget(() => {});
    closers.push(hanging.close);
    const record = await firstAttempt({ api: `${hanging.url}/hang`, timeoutMs: 300 });
    expect(record).toMatchObject({ success: false, statusCode: null, error: 'timed out after 300 ms' });
    expect(record.durationMs).toBeGreaterThanOrEqual(280);
    expect(record.durationMs).toBeLessThan(3_000);
  });

  it('a target that resets the connection is recorded as such', async () => {
    const resetting = await startRawTarget((socket) => socket.once('data', () => socket.resetAndDestroy()));
    closers.push(resetting.close);
    const record = await firstAttempt({ api: `${resetting.url}/reset` });
    expect(record).toMatchObject({ success: false, statusCode: null });
    expect(record.error).toMatch(/connection reset|socket/i);
  });

  it('a slow target streaming a huge body does not hold the call: the body is not kept', async () => {
    const chunk = Buffer.alloc(64 * 1024, 120);
    const streaming = await startRawTarget((socket) =>
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 104857600\r\n\r\n');
        const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(chunk)), 20);
        socket.on('close', () => clearInterval(timer));
      }),
    );
    closers.push(streaming.close);
    const record = await firstAttempt({ api: `${streaming.url}/huge`, timeoutMs: 5_000 });
    expect(record.statusCode).toBe(200);
    expect(record.durationMs).toBeLessThan(5_000);
  });

  it('an alert webhook that is down is recorded as a failed delivery and scheduling goes on', async () => {
    const refusing = await startRawTarget(() => {});
    await refusing.close();
    const failing = await startTarget();
    closers.push(failing.close);
    failing.respondWith(500);
    const created = await requestJson(app.url, 'POST', '/jobs', {
      schedule: '* * * * * *',
      api: `${failing.url}/down`,
      maxAttempts: 1,
      alertWebhook: `${refusing.url}/alerts`,
    });
    const delivery = await app.events.once('alert:delivered', (record) => record.jobId === created.body.jobId);
    expect(delivery).toMatchObject({ event: 'JOB_FAILED', success: false, statusCode: null, error: 'connection refused' });
    const later = await app.events.once('execution:finished', (record) => record.jobId === created.body.jobId && record.scheduledAt > delivery.sentAt);
    expect(later.error).toBe('HTTP 500');
    const db = new BetterSqlite3(database.path, { readonly: true });
    try {
      const read = () => db.prepare('SELECT "event", "success", "error" FROM "AlertDelivery" WHERE "jobId" = ?').all(created.body.jobId);
      // The delivery is written with the next batch: read until it is there.
      for (const deadline = Date.now() + 5_000; read().length === 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(read()[0]).toEqual({ event: 'JOB_FAILED', success: 0, error: 'connection refused' });
    } finally {
      db.close();
    }
  });
});
