import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { openDatabase, type OpenedDatabase } from './database.ts';

const opened: Array<{ database: OpenedDatabase; remove: () => void }> = [];
afterEach(async () => {
  for (const { database, remove } of opened.splice(0)) {
    await database.close();
    remove();
  }
});

function open() {
  const temp = createTempDatabase();
  const database = openDatabase(temp.url);
  opened.push({ database, remove: temp.remove });
  return database;
}

describe('automatic checkpoints', () => {
  it('are set on both connections, the driver’s and Prisma’s, and refused for a count that is no page count', async () => {
    const database = open();
    const prismaSetting = async () => ((await database.prisma.$queryRawUnsafe('PRAGMA wal_autocheckpoint')) as Array<{ wal_autocheckpoint: bigint }>)[0]!.wal_autocheckpoint;
    expect(await prismaSetting()).toBe(1000n);
    await database.setAutocheckpoint(0);
    expect(database.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(await prismaSetting()).toBe(0n);
    await database.setAutocheckpoint(1000);
    expect(database.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(await prismaSetting()).toBe(1000n);
    await expect(database.setAutocheckpoint(1.5)).rejects.toThrow('wal_autocheckpoint must be a whole number of pages, got 1.5');
  });
});

describe('the migrated schema', () => {
  it('runs in WAL mode', () => {
    expect(open().sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('matches what the generated client expects: every model is written and read back', async () => {
    const { prisma } = open();
    const at = new Date('2026-11-26T21:13:51.988Z');
    const job = await prisma.job.create({
      data: { id: 'job-1', schedule: '* * * * * *', api: 'http://127.0.0.1:9/', alertWebhook: 'http://127.0.0.1:9/a', cursorAt: at, createdAt: at, updatedAt: at, lastSuccess: true, lastExecutionAt: at, durationBucket11: 3 },
    });
    const execution = await prisma.execution.create({
      data: { jobId: job.id, scheduledAt: at, startedAt: at, durationMs: 12, statusCode: 200, success: true, trigger: 'MANUAL', attempt: 2, error: null },
    });
    const skip = await prisma.skip.create({ data: { jobId: job.id, fromAt: at, toAt: at, count: null, reason: 'MISFIRE', createdAt: at } });
    const alert = await prisma.alertDelivery.create({
      data: { jobId: job.id, event: 'JOB_FAILED', url: 'http://127.0.0.1:9/a', sentAt: at, statusCode: null, success: false, error: 'connection refused' },
    });
    const read = await prisma.job.findUniqueOrThrow({ where: { id: job.id }, include: { executions: true, skips: true, alerts: true } });
    expect(read).toMatchObject({ ...job, executions: [execution], skips: [skip], alerts: [alert] });
    expect(read.cursorAt.toISOString()).toBe(at.toISOString());
  });

  it('deletes a job with its history', async () => {
    const { prisma } = open();
    const at = new Date();
    await prisma.job.create({ data: { id: 'job-2', schedule: '* * * * * *', api: 'http://127.0.0.1:9/', cursorAt: at, createdAt: at, updatedAt: at } });
    await prisma.execution.create({ data: { jobId: 'job-2', scheduledAt: at, startedAt: at, durationMs: 1, success: true } });
    await prisma.job.delete({ where: { id: 'job-2' } });
    expect(await prisma.execution.count()).toBe(0);
  });
});
