import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createTempDatabase, requestJson, startTestApp } from './helpers.ts';

const database = createTempDatabase();
afterAll(() => database.remove());

describe('graceful shutdown', () => {
  it('lets a call in flight finish, writes its record, and a restart re-sends nothing that completed', async () => {
    const arrivals: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const target: Server = createServer((request, response) => {
      arrivals.push(String(request.headers['idempotency-key']));
      // The first call is held until the server has been asked to stop: it is in flight during the stop.
      if (arrivals.length === 1) void released.then(() => response.end('ok'));
      else response.end('ok');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    try {
      const first = await startTestApp(database.url, { SHUTDOWN_GRACE_MS: 10_000 });
      const { body } = await requestJson(first.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${targetUrl}/slow` });
      const started = await first.events.once('execution:started', (event) => event.jobId === body.jobId);
      const stopping = first.stop();
      setTimeout(release, 300);
      await stopping;

      const db = new BetterSqlite3(database.path, { readonly: true });
      const rows = db.prepare('SELECT "scheduledAt", "statusCode", "success" FROM "Execution" WHERE "jobId" = ?').all(body.jobId);
      db.close();
      expect(rows).toEqual([{ scheduledAt: started.scheduledAt, statusCode: 200, success: 1 }]);

      const second = await startTestApp(database.url);
      await second.events.once('execution:finished', (record) => record.jobId === body.jobId);
      await second.stop();
      expect(arrivals.filter((key) => key === `${body.jobId}:${started.scheduledAt}`)).toHaveLength(1);
      expect(new Set(arrivals).size).toBe(arrivals.length);
    } finally {
      target.closeAllConnections();
      target.close();
    }
  });
});
