import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, waitFor, type Target } from './helpers.ts';

let app: App;
let target: Target;
const database = createTempDatabase();
/** The database and its write-ahead log: what SQLite writes to. */
const files = [database.path, `${database.path}-wal`];

/** Makes the files immutable (or writable again): even root's writes fail while it is set. */
function setImmutable(on: boolean): void {
  execFileSync('chattr', [on ? '+i' : '-i', ...files]);
}

beforeAll(async () => {
  target = await startTarget();
  app = await startTestApp(database.url, { WRITE_FLUSH_MS: 50, SQLITE_BUSY_TIMEOUT_MS: 100 });
});

afterAll(async () => {
  setImmutable(false);
  await app.stop();
  await target.close();
  database.remove();
});


describe('the database made read-only while running', () => {
  it('refuses changes with 503, turns not-ready, keeps firing and keeps records in memory, then writes them once it can', async () => {
    const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/ro` });
    await waitFor(() => requestJson(app.url, 'GET', `/jobs/${created.body.jobId}/executions`), (r) => r.body.length >= 1, 5_000);

    setImmutable(true);
    try {
      const refused = await requestJson(app.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/x` });
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatch(/^the database is unavailable \(SQLITE_/);
      // A schedule change is refused as a whole: the old schedule goes on, every second.
      const changed = await requestJson(app.url, 'PUT', `/jobs/${created.body.jobId}`, { schedule: '0 0 0 1 1 *' });
      expect(changed.status).toBe(503);
      expect(changed.body.error).toEqual(expect.any(String));
      const refusedAt = Date.now();
      const firesAfter = (r: { body: unknown }) =>
        (r.body as { jobId?: string }).jobId === created.body.jobId && Date.parse((r.body as { scheduledAt: string }).scheduledAt) > refusedAt + 1_000;
      await target.waitFor(firesAfter, 4_000);
      const notReady = await waitFor(() => requestJson(app.url, 'GET', '/ready'), (r) => r.status === 503, 5_000);
      expect(notReady.body.checks.writes).toMatch(/^failing: \d+ records waiting for the database$/);
      const before = target.received.length;
      await target.waitFor(() => target.received.length >= before + 2, 4_000);
    } finally {
      setImmutable(false);
    }

    await waitFor(() => requestJson(app.url, 'GET', '/ready'), (r) => r.status === 200, 5_000);
    const fired = target.received.filter((request) => (request.body as { jobId?: string }).jobId === created.body.jobId).length;
    const metrics = await waitFor(
      () => requestJson(app.url, 'GET', '/metrics'),
      (r) => r.body.totalExecutions >= fired - 1,
      5_000,
    );
    expect(metrics.body.writes.dropped).toBe(0);
    expect((await requestJson(app.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/y` })).status).toBe(201);
    expect((await requestJson(app.url, 'GET', `/jobs/${created.body.jobId}`)).body.schedule).toBe('* * * * * *');
  });
});
