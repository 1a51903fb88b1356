import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../domain/errors.ts';
import { systemClock } from '../engine/clock.ts';
import { EventBus } from '../engine/events.ts';
import type { Clock } from '../engine/clock.ts';
import type { SchedulableJob, Scheduler } from '../engine/scheduler.ts';
import { openDatabase } from '../store/database.ts';
import { JobRepository } from '../store/job-repository.ts';
import { createTempDatabase } from '../../test/helpers.ts';
import { JobService } from './job-service.ts';

/**
 * A service whose creates wait at the target check until `release`, then find the database down:
 * enough to see when `idle` resolves, without a database.
 */
function heldService() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const inserts: string[] = [];
  const refuse = async (): Promise<never> => {
    inserts.push('insert');
    throw new StoreUnavailableError('closed for the test');
  };
  const service = new JobService({
    jobs: { insert: refuse, openBatch: () => ({ add: () => [], commit: refuse, drop: () => {} }) } as unknown as JobRepository,
    scheduler: {} as Scheduler,
    events: new EventBus(() => {}),
    clock: systemClock,
    defaultTimeoutMs: 1_000,
    outcomesWritten: async () => {},
    checkTargets: () => held,
  });
  return { service, release, inserts };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('JobService.idle', () => {
  it('resolves at once with no create under way', async () => {
    await expect(heldService().service.idle()).resolves.toBeUndefined();
  });

  it('waits for every create under way, single or batch, to end, however it ends', async () => {
    const { service, release, inserts } = heldService();
    const job = { schedule: '* * * * * *', api: 'http://127.0.0.1:9/hook' };
    const single = service.createJob(job).catch((error: unknown) => error);
    const batch = service.createJobs([job, job]).catch((error: unknown) => error);
    let idle = false;
    const waiting = service.idle().then(() => (idle = true));
    await turn();
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(inserts).toEqual(['insert', 'insert']);
    expect(await single).toBeInstanceOf(StoreUnavailableError);
    expect(await batch).toBeInstanceOf(StoreUnavailableError);
  });
});

describe('JobService.createJobs', () => {
  it('creates a batch at its commit: a slow check before it neither backdates the jobs nor starts their schedules early', async () => {
    const temp = createTempDatabase();
    const database = openDatabase(temp.url);
    try {
      let now = Date.parse('2026-11-27T10:00:00.400Z');
      const clock: Clock = { now: () => now, setTimer: () => () => {} };
      const scheduled: Array<{ id: string; intentAt: number | null; afterMs: number }> = [];
      const scheduler = {
        upsert: (job: SchedulableJob, afterMs: number) => scheduled.push({ id: job.id, intentAt: job.intentAt, afterMs }),
        get: () => undefined,
      } as unknown as Scheduler;
      const service = new JobService({
        jobs: new JobRepository(database.prisma, database.sqlite),
        scheduler,
        events: new EventBus(() => {}),
        clock,
        defaultTimeoutMs: 1_000,
        outcomesWritten: async () => {},
        // The hosts take 5 s to check.
        checkTargets: async () => {
          now += 5_000;
        },
      });
      const inputs = Array.from({ length: 300 }, (_, i) => ({ schedule: i % 2 ? '* * * * * *' : '0 0 * * * *', api: 'http://127.0.0.1:9/hook' }));
      const views = await service.createJobs(inputs);
      const committedAt = Date.parse('2026-11-27T10:00:05.400Z');
      expect(new Set(views.map((view) => view.createdAt))).toEqual(new Set([committedAt]));
      expect(new Set(scheduled.map((job) => job.afterMs))).toEqual(new Set([committedAt]));
      const rows = database.sqlite.prepare('SELECT "cursorAt", "createdAt", "intentAt" FROM "Job"').all() as Array<{ cursorAt: number; createdAt: number; intentAt: number }>;
      expect(rows).toHaveLength(300);
      expect(rows.every((row) => row.cursorAt === committedAt && row.createdAt === committedAt)).toBe(true);
      // The hourly jobs' first fire is still the intent committed with them; the every-second
      // jobs' intent, computed before the check, is behind their cursor and covers no fire.
      expect(new Set(rows.map((row) => row.intentAt))).toEqual(new Set([Date.parse('2026-11-27T11:00:00Z'), Date.parse('2026-11-27T10:00:01Z')]));
    } finally {
      await database.close();
      temp.remove();
    }
  });
});
