import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { checkNewJob } from '../domain/job-spec.ts';
import { openDatabase, type OpenedDatabase } from './database.ts';
import { JobRepository } from './job-repository.ts';

const opened: Array<{ database: OpenedDatabase; remove: () => void }> = [];
afterEach(async () => {
  for (const { database, remove } of opened.splice(0)) {
    await database.close();
    remove();
  }
});

describe('JobRepository changes of a job', () => {
  function openJobs() {
    const temp = createTempDatabase();
    const database = openDatabase(temp.url);
    opened.push({ database, remove: temp.remove });
    return { database, jobs: new JobRepository(database.prisma, database.sqlite) };
  }
  const spec = checkNewJob({ schedule: '* * * * * *', api: 'http://127.0.0.1:9/hook' }, 30_000).spec;

  it('leave the cursor to the writer: a change neither moves it back nor ahead', async () => {
    const { database, jobs } = openJobs();
    const read = await jobs.insert('job-1', spec, 1_000);
    const cursorOf = () => (database.sqlite.prepare('SELECT "cursorAt" FROM "Job" WHERE "id" = ?').pluck().get('job-1') as number);
    // The execution writer moves the cursor after the job was read, as its own thread may.
    database.sqlite.prepare('UPDATE "Job" SET "cursorAt" = 5000 WHERE "id" = ?').run('job-1');
    const paused = await jobs.setStatus(read, 'PAUSED', 2_000);
    expect(paused).toMatchObject({ status: 'PAUSED', cursorAt: 5_000 });
    const updated = await jobs.update(paused, { ...spec, schedule: '*/5 * * * * *' }, 9_000, { at: 9_000, owed: [] });
    expect(updated).toMatchObject({ cursorAt: 5_000, version: 3, rescheduledAt: 9_000 });
    expect(updated.spec.schedule).toBe('*/5 * * * * *');
    const resumed = await jobs.setStatus(updated, 'ACTIVE', 9_500);
    expect(resumed).toMatchObject({ status: 'ACTIVE', cursorAt: 5_000 });
    expect(cursorOf()).toBe(5_000);
    expect(database.sqlite.prepare('SELECT typeof("cursorAt") FROM "Job"').pluck().get()).toBe('integer');
  });

  it('keep what a replaced schedule still owes, for every reader, until the next replacement', async () => {
    const { jobs } = openJobs();
    const created = await jobs.insert('job-1', spec, 1_000);
    expect(created).toMatchObject({ rescheduledAt: null, owed: [] });
    const owed = [
      { at: 2_000, type: 'ATMOST_ONCE' },
      { at: 3_000, type: 'ATLEAST_ONCE' },
    ] as const;
    const replaced = await jobs.update(created, { ...spec, schedule: '0 * * * * *' }, 4_000, { at: 4_000, owed });
    expect(replaced).toMatchObject({ rescheduledAt: 4_000, owed });
    // A change that keeps the schedule and the type keeps them too.
    const retimed = await jobs.update(replaced, { ...replaced.spec, timeoutMs: 1_000 }, 5_000, null);
    expect(retimed).toMatchObject({ rescheduledAt: 4_000, owed });
    expect(await jobs.find('job-1')).toMatchObject({ rescheduledAt: 4_000, owed });
    expect([...jobs.scheduleRows()]).toMatchObject([{ id: 'job-1', rescheduledAt: 4_000, owed }]);
    const again = await jobs.update(retimed, { ...spec, schedule: '0 0 * * * *' }, 6_000, { at: 6_000, owed: [] });
    expect(again).toMatchObject({ rescheduledAt: 6_000, owed: [] });
    expect([...jobs.scheduleRows()]).toMatchObject([{ rescheduledAt: 6_000, owed: [] }]);
  });
});
