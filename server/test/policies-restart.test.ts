import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, requestJson, startTarget, startTestApp, waitFor, type Target } from './helpers.ts';
import { expectEachSecondOnce, recordedFor } from './recorded-outcomes.ts';

let target: Target;
const database = createTempDatabase();

beforeAll(async () => {
  target = await startTarget();
});

afterAll(async () => {
  await target.close();
  database.remove();
});

const POLICIES = ['FIRE_ONCE', 'FIRE_ALL', 'SKIP'] as const;

describe('misfire policy across a restart with downtime, on the real clock', () => {
  it('FIRE_ONCE runs the latest missed occurrence, FIRE_ALL runs each, SKIP none; each second keeps exactly one outcome', async () => {
    const first = await startTestApp(database.url);
    const ids = {} as Record<(typeof POLICIES)[number], string>;
    for (const misfirePolicy of POLICIES) {
      const { status, body } = await requestJson(first.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/${misfirePolicy}`, misfirePolicy });
      expect(status).toBe(201);
      ids[misfirePolicy] = body.jobId;
    }
    await waitFor(async () => POLICIES.map((policy) => recordedFor(database.path, ids[policy]).executions.length), (counts) => counts.every((count) => count > 0), 10_000);
    await first.stop();

    // Down for a little over two seconds: at least two occurrences of each job fall due meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    const second = await startTestApp(database.url);
    const restartedAt = Date.now();
    try {
      const isOf = (policy: string, trigger: string, after = 0) => (r: { body: unknown }) => {
        const fire = r.body as { jobId: string; trigger: string; scheduledAt: string };
        return fire.jobId === ids[policy as (typeof POLICIES)[number]] && fire.trigger === trigger && Date.parse(fire.scheduledAt) > after;
      };
      await target.waitFor(isOf('FIRE_ONCE', 'CATCH_UP'), 5_000);
      await target.waitFor(isOf('FIRE_ALL', 'CATCH_UP'), 5_000);
      for (const policy of POLICIES) await target.waitFor(isOf(policy, 'SCHEDULE', restartedAt), 5_000);
    } finally {
      await second.stop();
    }

    const once = recordedFor(database.path, ids.FIRE_ONCE);
    expect(once.executions.filter((row) => row.trigger === 'CATCH_UP')).toHaveLength(1);
    expect(once.skips.length).toBeGreaterThanOrEqual(1);
    expect(once.skips.every((skip) => skip.reason === 'MISFIRE')).toBe(true);
    expectEachSecondOnce(once);

    const all = recordedFor(database.path, ids.FIRE_ALL);
    expect(all.executions.filter((row) => row.trigger === 'CATCH_UP').length).toBeGreaterThanOrEqual(2);
    expect(all.skips).toEqual([]);
    expectEachSecondOnce(all);

    const skipping = recordedFor(database.path, ids.SKIP);
    expect(skipping.executions.filter((row) => row.trigger === 'CATCH_UP')).toEqual([]);
    expect(skipping.skips.filter((skip) => skip.reason === 'MISFIRE').reduce((sum, skip) => sum + skip.count, 0)).toBeGreaterThanOrEqual(2);
    expectEachSecondOnce(skipping);
  }, 40_000);
});
