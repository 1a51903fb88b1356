import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../domain/errors.ts';
import { systemClock } from '../engine/clock.ts';
import { EventBus } from '../engine/events.ts';
import type { Scheduler } from '../engine/scheduler.ts';
import type { JobRepository } from '../store/job-repository.ts';
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
