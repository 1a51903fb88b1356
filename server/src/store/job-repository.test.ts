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
  it('never move its cursor back past what was written after the job was read', async () => {
    const temp = createTempDatabase();
    const database = openDatabase(temp.url);
    opened.push({ database, remove: temp.remove });
    const jobs = new JobRepository(database.prisma, database.sqlite);
    const spec = checkNewJob({ schedule: '* * * * * *', api: 'http://127.0.0.1:9/hook' }, 30_000).spec;
    const read = await jobs.insert('job-1', spec, 1_000);
    const cursorOf = () => (database.sqlite.prepare('SELECT "cursorAt" FROM "Job" WHERE "id" = ?').pluck().get('job-1') as number);
    // The execution writer moves the cursor after the job was read, as its own thread may.
    database.sqlite.prepare('UPDATE "Job" SET "cursorAt" = 5000 WHERE "id" = ?').run('job-1');
    const paused = await jobs.setStatus(read, 'PAUSED', read.cursorAt, 2_000);
    expect(paused).toMatchObject({ status: 'PAUSED', cursorAt: 5_000 });
    expect(cursorOf()).toBe(5_000);
    const updated = await jobs.update(paused, { ...spec, timeoutMs: 1_000 }, 3_000, 2_500);
    expect(updated).toMatchObject({ cursorAt: 5_000, version: 3 });
    expect(updated.spec.timeoutMs).toBe(1_000);
    const moved = await jobs.setStatus(updated, 'ACTIVE', 7_000, 3_000);
    expect(moved).toMatchObject({ status: 'ACTIVE', cursorAt: 7_000 });
    expect(cursorOf()).toBe(7_000);
    expect(database.sqlite.prepare('SELECT typeof("cursorAt") FROM "Job"').pluck().get()).toBe('integer');
  });
});
