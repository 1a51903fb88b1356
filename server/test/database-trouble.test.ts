import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, waitFor, type Target } from './helpers.ts';

let app: App;
let target: Target;
const database = createTempDatabase();

beforeAll(async () => {
  target = await startTarget();
  app = await startTestApp(database.url, { SQLITE_BUSY_TIMEOUT_MS: 100, WRITE_FLUSH_MS: 50 });
});

afterAll(async () => {
  await app.stop();
  await target.close();
  database.remove();
});


describe('the database in trouble', () => {
  it('answers 503 and not-ready while another process holds the write lock, keeps executions in memory, and recovers by itself', async () => {
    const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/locked` });
    expect((await requestJson(app.url, 'GET', '/ready')).body).toEqual({ ready: true, checks: { database: 'ok', writes: 'ok', engine: 'ok' } });

    const locker = new BetterSqlite3(database.path);
    locker.exec('BEGIN IMMEDIATE');
    try {
      const refused = await requestJson(app.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/x` });
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatch(/^the database is unavailable \(SQLITE_BUSY: database is locked\); nothing was changed, try again$/);
      const notReady = await waitFor(() => requestJson(app.url, 'GET', '/ready'), (r) => r.status === 503, 5_000);
      expect(notReady.body.checks.writes).toMatch(/^failing: \d+ records waiting for the database$/);
      // The engine keeps firing meanwhile.
      const firedWhileLocked = target.received.length;
      await target.waitFor(() => target.received.length > firedWhileLocked, 3_000);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }

    await waitFor(() => requestJson(app.url, 'GET', '/ready'), (r) => r.status === 200, 5_000);
    const executions = await waitFor(
      () => requestJson(app.url, 'GET', `/jobs/${created.body.jobId}/executions`),
      (r) => r.body.length >= 2,
      5_000,
    );
    expect(executions.body.every((e: { success: boolean }) => e.success)).toBe(true);
    const jobs = await requestJson(app.url, 'GET', '/jobs');
    expect(jobs.body.map((job: { jobId: string }) => job.jobId)).toEqual([created.body.jobId]);
  });
});
