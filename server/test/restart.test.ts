import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, requestJson, startTarget, startTestApp, type Target } from './helpers.ts';

let target: Target;
const database = createTempDatabase();

beforeAll(async () => {
  target = await startTarget();
});

afterAll(async () => {
  await target.close();
  database.remove();
});

interface Fire {
  jobId: string;
  scheduledAt: string;
  trigger: string;
}

describe('restart on the same database', () => {
  it('keeps firing a job without re-creating it, runs the latest missed fire once and records the skipped ones', async () => {
    const first = await startTestApp(database.url);
    const { body } = await requestJson(first.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/restart` });
    const jobId: string = body.jobId;
    await first.events.once('executions:persisted');
    await first.stop();
    const stoppedAt = Date.now();

    // Down for a little over two seconds: at least two occurrences fall due meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    const second = await startTestApp(database.url);
    const restartedAt = Date.now();
    try {
      const catchUp = await target.waitFor((r) => (r.body as Fire).jobId === jobId && (r.body as Fire).trigger === 'CATCH_UP', 3_000);
      expect(Date.parse((catchUp.body as Fire).scheduledAt)).toBeGreaterThan(stoppedAt);
      const scheduled = await target.waitFor(
        (r) => (r.body as Fire).jobId === jobId && (r.body as Fire).trigger === 'SCHEDULE' && Date.parse((r.body as Fire).scheduledAt) > restartedAt,
        3_000,
      );
      expect(scheduled.headers['idempotency-key']).toBe(`${jobId}:${Date.parse((scheduled.body as Fire).scheduledAt)}`);
      const list = await requestJson(second.url, 'GET', '/jobs');
      expect(list.body.map((job: { jobId: string }) => job.jobId)).toEqual([jobId]);
    } finally {
      await second.stop();
    }

    const db = new BetterSqlite3(database.path, { readonly: true });
    try {
      const skips = db.prepare('SELECT "fromAt", "toAt", "count", "reason" FROM "Skip" WHERE "jobId" = ?').all(jobId) as Array<{
        fromAt: number;
        toAt: number;
        count: number;
        reason: string;
      }>;
      expect(skips).toHaveLength(1);
      expect(skips[0]!.reason).toBe('MISFIRE');
      expect(skips[0]!.count).toBe((skips[0]!.toAt - skips[0]!.fromAt) / 1_000 + 1);
      // Every scheduled second from the first fire to the last is accounted for: executed or skipped, once.
      const executed = (db.prepare('SELECT "scheduledAt" FROM "Execution" WHERE "jobId" = ? ORDER BY "scheduledAt"').all(jobId) as Array<{ scheduledAt: number }>).map(
        (row) => row.scheduledAt,
      );
      const skipped = Array.from({ length: skips[0]!.count }, (_, i) => skips[0]!.fromAt + i * 1_000);
      const all = [...executed, ...skipped].sort((a, b) => a - b);
      expect(new Set(all).size).toBe(all.length);
      for (let i = 1; i < all.length; i++) expect(all[i]! - all[i - 1]!).toBe(1_000);
    } finally {
      db.close();
    }
  });
});
