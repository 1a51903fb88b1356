import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { openDatabase, type OpenedDatabase } from './database.ts';
import { JobReads } from './job-reads.ts';

const opened: Array<{ database: OpenedDatabase; remove: () => void }> = [];
afterEach(async () => {
  for (const { database, remove } of opened.splice(0)) {
    await database.close();
    remove();
  }
});

function open(): OpenedDatabase {
  const temp = createTempDatabase();
  const database = openDatabase(temp.url);
  opened.push({ database, remove: temp.remove });
  return database;
}

const at = (second: number): Date => new Date(Date.UTC(2026, 10, 26, 21, 13, second, 988));

/** A job whose every column holds a value of its own, none a default, so a swapped column shows. */
const JOB = {
  id: 'job-1', schedule: '*/5 * * * * *', timezone: 'Europe/Paris', api: 'http://127.0.0.1:9/call', type: 'ATMOST_ONCE',
  alertWebhook: 'http://127.0.0.1:9/alert', timeoutMs: 1_234, maxAttempts: 1, misfirePolicy: 'FIRE_ALL', catchUpLimit: 7,
  catchUpWindowMs: 60_001, overlapPolicy: 'QUEUE_ONE', dstGap: 'SKIP', dstOverlap: 'BOTH', successCodes: '200-204,304',
  successBodyPattern: 'ok$', failingThreshold: 4, autoPauseAfter: 9, lagAlertMs: 2_500, status: 'PAUSED', pauseReason: '410 Gone',
  consecutiveFailures: 2, version: 6, cursorAt: at(1), intentAt: at(2), createdAt: at(3), updatedAt: at(4), totalCount: 41,
  successCount: 30, failureCount: 11, totalDurationMs: 5_678, lastExecutionAt: at(5), lastSuccess: false,
  durationBucket0: 100, durationBucket1: 101, durationBucket2: 102, durationBucket3: 103, durationBucket4: 104, durationBucket5: 105,
  durationBucket6: 106, durationBucket7: 107, durationBucket8: 108, durationBucket9: 109, durationBucket10: 110, durationBucket11: 111,
};

describe('the prepared reads', () => {
  it('read a job exactly as Prisma reads it, whichever statement reads it', async () => {
    const { prisma, sqlite } = open();
    await prisma.job.create({ data: JOB });
    const expected = await prisma.job.findUniqueOrThrow({ where: { id: JOB.id } });
    const reads = new JobReads(sqlite);

    expect(reads.findJob(JOB.id)).toStrictEqual(expected);
    expect(reads.pageJobs({ status: 'PAUSED', search: '127.0.0.1' }, 10, null)).toStrictEqual([expected]);
    expect(reads.jobsAfter('', 10)).toStrictEqual([expected]);
    expect(reads.countJobs({ status: 'PAUSED' })).toBe(1);
    expect(reads.countJobs({ status: 'ACTIVE' })).toBe(0);
    expect(reads.findJob('no-such-job')).toBeNull();
  });

  it('read the optional columns of a job as null when they are empty', async () => {
    const { prisma, sqlite } = open();
    await prisma.job.create({ data: { ...JOB, alertWebhook: null, successBodyPattern: null, autoPauseAfter: null, lagAlertMs: null, pauseReason: null, intentAt: null, lastExecutionAt: null, lastSuccess: null } });
    expect(new JobReads(sqlite).findJob(JOB.id)).toStrictEqual(await prisma.job.findUniqueOrThrow({ where: { id: JOB.id } }));
  });

  it('read executions exactly as Prisma reads them, newest first', async () => {
    const { prisma, sqlite } = open();
    await prisma.job.create({ data: JOB });
    await prisma.execution.create({
      data: { jobId: JOB.id, scheduledAt: at(10), startedAt: at(11), durationMs: 12, attempt: 2, trigger: 'MANUAL', statusCode: 503, success: false, outcome: 'FAILED', error: 'status 503', responseSnippet: 'busy' },
    });
    await prisma.execution.create({
      data: { jobId: JOB.id, scheduledAt: at(20), startedAt: at(21), durationMs: 3, attempt: 1, trigger: 'SCHEDULE', statusCode: null, success: true, outcome: 'UNKNOWN', error: null, responseSnippet: null },
    });
    const expected = await prisma.execution.findMany({ where: { jobId: JOB.id }, orderBy: { id: 'desc' } });

    expect(new JobReads(sqlite).pageExecutions({ jobId: JOB.id }, 10, null)).toStrictEqual(expected);
  });

  it('answer a page again from memory until the database changes, through any connection', async () => {
    const { prisma, sqlite } = open();
    await prisma.job.create({ data: JOB });
    const reads = new JobReads(sqlite);
    const first = reads.pageJobs({}, 10, null);
    expect(reads.pageJobs({}, 10, null)).toBe(first);
    expect(reads.pageJobs({ status: 'ACTIVE' }, 10, null)).toStrictEqual([]);

    // Another connection commits (as Prisma and the execution writer do).
    await prisma.job.update({ where: { id: JOB.id }, data: { totalCount: 42 } });
    expect(reads.pageJobs({}, 10, null).map((job) => job.totalCount)).toStrictEqual([42]);
    expect(reads.countJobs({})).toBe(1);

    // This connection writes.
    sqlite.prepare('UPDATE "Job" SET "status" = \'ACTIVE\'').run();
    expect(reads.pageJobs({}, 10, null).map((job) => job.status)).toStrictEqual(['ACTIVE']);
    await prisma.job.create({ data: { ...JOB, id: 'job-2', createdAt: at(30) } });
    expect(reads.countJobs({})).toBe(2);
    expect(reads.pageJobs({}, 10, null).map((job) => job.id)).toStrictEqual([JOB.id, 'job-2']);
  });
});
