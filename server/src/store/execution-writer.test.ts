import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase, waitFor } from '../../test/helpers.ts';
import { StoreUnavailableError } from '../domain/errors.ts';
import type { ExecutionRecord } from '../domain/occurrence.ts';
import { EventBus } from '../engine/events.ts';
import { BatchStatements } from './batch-statements.ts';
import { openDatabase, type OpenedDatabase } from './database.ts';
import { ExecutionWriter } from './execution-writer.ts';
import { unpackExecutions } from './packed-executions.ts';
import { WriterThread, type WriterTask } from './writer-thread.ts';

const opened: Array<{ database: OpenedDatabase; remove: () => void }> = [];
const cleanupWriters: Array<{ writer: ExecutionWriter; thread: WriterThread | null }> = [];
/** The connections of threads stood in for (threadLostDuringBatch). */
const standInConnections: BetterSqlite3.Database[] = [];
afterEach(async () => {
  for (const { writer, thread } of cleanupWriters.splice(0)) {
    await writer.close();
    await thread?.close();
  }
  for (const connection of standInConnections.splice(0)) connection.close();
  for (const { database, remove } of opened.splice(0)) {
    await database.close();
    remove();
  }
});

const T0 = Date.parse('2026-01-01T00:00:00Z');

async function setup(
  options: Partial<{ maxBatch: number; flushIntervalMs: number; worker: boolean; standIn: (path: string) => WriterThread; msUntilNextFire: () => number; onFlushError: (error: unknown) => void }> = {},
) {
  const temp = createTempDatabase();
  const database = openDatabase(temp.url);
  opened.push({ database, remove: temp.remove });
  const events = new EventBus((error) => {
    throw error;
  });
  const thread = options.standIn?.(database.path) ?? (options.worker ? new WriterThread({ path: database.path, busyTimeoutMs: 5_000 }) : null);
  const writer = new ExecutionWriter(database.sqlite, events, {
    flushIntervalMs: options.flushIntervalMs ?? 10_000,
    maxBatch: options.maxBatch ?? 10_000,
    maxQueued: 100_000,
    thread,
    ...(options.msUntilNextFire ? { msUntilNextFire: options.msUntilNextFire } : {}),
    onFlushError:
      options.onFlushError ??
      ((error) => {
        throw error;
      }),
  });
  cleanupWriters.push({ writer, thread: options.standIn ? null : thread });
  const at = new Date(T0);
  for (const id of ['a', 'b']) {
    await database.prisma.job.create({ data: { id, schedule: '* * * * * *', api: 'http://127.0.0.1:9/', cursorAt: at, createdAt: at, updatedAt: at } });
  }
  return { database, writer, events, thread };
}

/** A writer on `database` that the database refuses (query_only) until the test lets it write again; its errors kept. */
function refusedWriter(database: OpenedDatabase, options: { flushIntervalMs: number; maxBatch: number; maxQueued: number }) {
  const errors: unknown[] = [];
  const failing = new ExecutionWriter(database.sqlite, new EventBus(() => {}), { ...options, onFlushError: (error) => errors.push(error) });
  database.sqlite.pragma('query_only = ON');
  return { failing, errors };
}

function record(jobId: string, second: number, success: boolean, durationMs: number, cursorAt: number | null = T0 + second * 1_000): ExecutionRecord {
  return {
    jobId,
    scheduledAt: T0 + second * 1_000,
    startedAt: T0 + second * 1_000 + 2,
    durationMs,
    attempt: 1,
    trigger: 'SCHEDULE',
    statusCode: success ? 200 : 500,
    success,
    outcome: success ? 'SUCCEEDED' : 'FAILED',
    error: success ? null : 'HTTP 500',
    cursorAt,
  };
}

/**
 * Stands in for a writer thread that is lost while it writes a batch: it writes the batch on a
 * connection of its own, as the thread does, and then (or instead, with `committed: false`)
 * answers as a lost thread does. A real thread cannot be stopped between its COMMIT and its
 * answer on purpose.
 */
function threadLostDuringBatch(path: string, committed: boolean): WriterThread {
  const connection = new BetterSqlite3(path, { timeout: 5_000 });
  standInConnections.push(connection);
  const statements = new BatchStatements(connection);
  const thread = {
    alive: true,
    idle: false,
    async write(task: WriterTask) {
      if (task.kind === 'executions' && committed) statements.write({ ...task.batch, executions: unpackExecutions(task.batch.executions) });
      thread.alive = false;
      throw new StoreUnavailableError('the writer thread stopped');
    },
  };
  return thread as unknown as WriterThread;
}

describe('ExecutionWriter', () => {
  it('writes a batch in one go and moves counters, histogram and cursor with it', async () => {
    const { database, writer } = await setup();
    writer.recordExecution(record('a', 1, true, 5));
    writer.recordExecution(record('a', 2, false, 40));
    writer.recordExecution(record('a', 3, true, 7_000));
    writer.recordExecution(record('b', 1, true, 3, null));
    expect(await database.prisma.execution.count()).toBe(0);
    expect(writer.flush()).toBe(4);
    const a = await database.prisma.job.findUniqueOrThrow({ where: { id: 'a' } });
    expect(a).toMatchObject({ totalCount: 3, successCount: 2, failureCount: 1, totalDurationMs: 7_045, lastSuccess: true, durationBucket0: 1, durationBucket2: 1, durationBucket9: 1 });
    expect(a.cursorAt.getTime()).toBe(T0 + 3_000);
    expect(a.lastExecutionAt?.getTime()).toBe(T0 + 3_002);
    const b = await database.prisma.job.findUniqueOrThrow({ where: { id: 'b' } });
    expect(b.cursorAt.getTime()).toBe(T0);
    expect(await database.prisma.execution.count()).toBe(4);
  });

  it('never moves a cursor backwards', async () => {
    const { database, writer } = await setup();
    writer.recordExecution(record('a', 5, true, 1));
    writer.flush();
    writer.recordExecution(record('a', 3, true, 1));
    writer.flush();
    expect((await database.prisma.job.findUniqueOrThrow({ where: { id: 'a' } })).cursorAt.getTime()).toBe(T0 + 5_000);
  });

  it('drops the records of a job deleted meanwhile without failing the batch', async () => {
    const { database, writer } = await setup();
    await database.prisma.job.delete({ where: { id: 'b' } });
    writer.recordExecution(record('b', 1, true, 1));
    writer.recordExecution(record('a', 1, true, 1));
    writer.recordSkip({ jobId: 'b', fromAt: T0, toAt: T0, count: 1, reason: 'MISFIRE', createdAt: T0 });
    writer.recordAlert({ jobId: 'b', event: 'JOB_FAILED', url: 'http://127.0.0.1:9/', sentAt: T0, statusCode: null, success: false, error: 'x' });
    writer.flush();
    expect(await database.prisma.execution.findMany({ select: { jobId: true } })).toEqual([{ jobId: 'a' }]);
    expect(await database.prisma.skip.count()).toBe(0);
    expect(await database.prisma.alertDelivery.count()).toBe(0);
  });

  it('flushes by itself once a batch is full, and announces what it persisted', async () => {
    const { database, writer, events } = await setup({ maxBatch: 3 });
    const persisted = events.once('executions:persisted');
    for (let second = 1; second <= 3; second++) writer.recordExecution(record('a', second, true, 1));
    expect((await persisted).count).toBe(3);
    expect(await database.prisma.execution.count()).toBe(3);
  });

  it('writes periodic batches on its worker thread and reports them persisted', async () => {
    const { database, writer, events } = await setup({ worker: true, flushIntervalMs: 20 });
    const persisted = events.once('executions:persisted');
    writer.recordExecution(record('a', 1, true, 5));
    writer.recordExecution(record('b', 1, false, 5));
    expect((await persisted).count).toBe(2);
    expect(await database.prisma.execution.count()).toBe(2);
    expect((await database.prisma.job.findUniqueOrThrow({ where: { id: 'a' } })).cursorAt.getTime()).toBe(T0 + 1_000);
  });

  it('writes inline once its thread is gone', async () => {
    const { database, writer, events, thread } = await setup({ worker: true, flushIntervalMs: 20 });
    await thread!.close();
    expect(thread!.alive).toBe(false);
    const persisted = events.once('executions:persisted');
    writer.recordExecution(record('a', 1, true, 5));
    expect((await persisted).count).toBe(1);
    expect(await database.prisma.execution.count()).toBe(1);
    expect(writer.stats).toMatchObject({ written: 1, failing: false });
  });

  it('counts a batch its thread committed before it was lost once, and writes one it had not committed inline', async () => {
    for (const committed of [true, false]) {
      const errors: unknown[] = [];
      const { database, writer } = await setup({
        flushIntervalMs: 20,
        standIn: (path) => threadLostDuringBatch(path, committed),
        onFlushError: (error) => errors.push(error),
      });
      writer.recordExecution(record('a', 1, true, 5));
      writer.recordExecution(record('a', 2, false, 5));
      writer.recordSkip({ jobId: 'a', fromAt: T0, toAt: T0, count: 1, reason: 'MISFIRE', createdAt: T0 });
      const counts = async () => ({
        executions: await database.prisma.execution.count(),
        skips: await database.prisma.skip.count(),
        total: (await database.prisma.job.findUniqueOrThrow({ where: { id: 'a' } })).totalCount,
      });
      await waitFor(counts, (now) => now.executions > 0, 5_000);
      // Later flushes (every 20 ms) would have written the batch again by now.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await counts(), `committed: ${committed}`).toEqual({ executions: 2, skips: 1, total: 2 });
      // Committed, the batch is durable and nothing failed; not, its one failed flush is reported.
      expect(errors, String(errors)).toHaveLength(committed ? 0 : 1);
      if (!committed) expect(errors[0]).toBeInstanceOf(StoreUnavailableError);
    }
  });

  it('tells a written batch by any of its records written after it was handed on, not by equal records before', async () => {
    const { database } = await setup();
    const statements = new BatchStatements(database.sqlite);
    const skip = { jobId: 'a', fromAt: T0, toAt: T0 + 1_000, count: 2, reason: 'MISFIRE' as const, createdAt: T0 };
    const alert = { jobId: 'b', event: 'JOB_FAILED' as const, url: 'http://127.0.0.1:9/', sentAt: T0, statusCode: null, success: false, error: 'x' };
    const batches = [
      { seq: 1, executions: [record('a', 1, true, 5)], skips: [], alerts: [], intents: [] },
      { seq: 2, executions: [], skips: [skip], alerts: [], intents: [] },
      { seq: 3, executions: [], skips: [], alerts: [alert], intents: [] },
    ];
    for (const batch of batches) {
      const before = statements.lastIds();
      expect(statements.wasWritten(batch, before)).toBe(false);
      statements.write(batch);
      expect(statements.wasWritten(batch, before)).toBe(true);
      // The same records again, in a batch handed on after: the rows already there are not its own.
      expect(statements.wasWritten({ ...batch, seq: batch.seq + 10 }, statements.lastIds())).toBe(false);
    }
    expect(statements.wasWritten({ seq: 4, executions: [], skips: [], alerts: [], intents: [['a', T0]] }, statements.lastIds())).toBe(false);
  });

  it('makes an intent durable at once when asked, even while the worker holds a batch', async () => {
    const { database, writer } = await setup({ worker: true, flushIntervalMs: 1 });
    writer.recordExecution(record('a', 1, true, 5));
    const ticket = writer.announceIntent('b', T0 + 9_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    writer.flush();
    expect(writer.isIntentDurable(ticket)).toBe(true);
    expect((await database.prisma.job.findUniqueOrThrow({ where: { id: 'b' } })).intentAt?.getTime()).toBe(T0 + 9_000);
    await writer.close();
    expect(await database.prisma.execution.count()).toBe(1);
  });

  it('does not start a background flush just before a fire: it waits until just after', async () => {
    const fireAt = Date.now() + 60;
    const { database, writer, events } = await setup({ flushIntervalMs: 50, msUntilNextFire: () => fireAt - Date.now() });
    const persisted = events.once('executions:persisted');
    writer.recordExecution(record('a', 1, true, 5));
    await persisted;
    expect(Date.now()).toBeGreaterThanOrEqual(fireAt);
    expect(await database.prisma.execution.count()).toBe(1);
  });

  it('commits at-most-once intents with the batch and reports them durable only then', async () => {
    const { database, writer } = await setup();
    const ticket = writer.announceIntent('a', T0 + 5_000);
    expect(writer.isIntentDurable(ticket)).toBe(false);
    writer.flush();
    expect(writer.isIntentDurable(ticket)).toBe(true);
    expect(writer.isIntentDurable(writer.announceIntent('a', T0 + 6_000))).toBe(false);
    expect((await database.prisma.job.findUniqueOrThrow({ where: { id: 'a' } })).intentAt?.getTime()).toBe(T0 + 5_000);
  });

  it('writes an intent with the counters of a job that settled in the same batch, and alone for one that did not', async () => {
    const { database, writer } = await setup();
    writer.announceIntent('a', T0 + 8_000);
    writer.announceIntent('a', T0 + 7_000);
    writer.recordExecution(record('a', 6, true, 5));
    writer.announceIntent('b', T0 + 4_000);
    expect(writer.flush()).toBe(1);
    const a = await database.prisma.job.findUniqueOrThrow({ where: { id: 'a' } });
    expect(a).toMatchObject({ totalCount: 1, successCount: 1 });
    expect(a.intentAt?.getTime()).toBe(T0 + 8_000);
    expect(a.cursorAt.getTime()).toBe(T0 + 6_000);
    expect((await database.prisma.job.findUniqueOrThrow({ where: { id: 'b' } })).intentAt?.getTime()).toBe(T0 + 4_000);
    writer.recordExecution(record('a', 7, true, 5));
    writer.flush();
    const settled = await database.prisma.job.findUniqueOrThrow({ where: { id: 'a' } });
    expect(settled.totalCount).toBe(2);
    expect(settled.intentAt?.getTime()).toBe(T0 + 8_000);
  });

  it('on a clean close, takes back every intent but those of occurrences still unsettled', async () => {
    const { database, writer } = await setup();
    writer.announceIntent('a', T0 + 5_000);
    writer.announceIntent('b', T0 + 6_000);
    writer.flush();
    await writer.close([['a', T0 + 4_000]]);
    const intents = await database.prisma.job.findMany({ select: { id: true, intentAt: true }, orderBy: { id: 'asc' } });
    expect(intents.map((job) => [job.id, job.intentAt?.getTime() ?? null])).toEqual([
      ['a', T0 + 4_000],
      ['b', null],
    ]);
  });

  it('while the database refuses, retries a full queue after the interval, not at once, and bounds every kind of record', async () => {
    const { database } = await setup();
    const { failing, errors } = refusedWriter(database, { flushIntervalMs: 100, maxBatch: 2, maxQueued: 3 });
    for (let second = 1; second <= 5; second++) {
      failing.recordExecution(record('a', second, true, 1));
      failing.recordSkip({ jobId: 'a', fromAt: T0 + second * 1_000, toAt: T0 + second * 1_000, count: 1, reason: 'OVERLAP', createdAt: T0 });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    // One flush a turn of the event loop would have failed thousands of times by now.
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(4);
    expect(failing.stats.queued).toBeLessThanOrEqual(6);
    expect(failing.stats.dropped).toBeGreaterThanOrEqual(4);
    database.sqlite.pragma('query_only = OFF');
    // The newest 3 executions and 3 skips.
    expect(failing.flush()).toBe(6);
    await failing.close();
  });

  it('keeps a batch the database refused and writes it once it can', async () => {
    const { database, writer } = await setup();
    const { failing, errors } = refusedWriter(database, { flushIntervalMs: 10_000, maxBatch: 10_000, maxQueued: 100_000 });
    failing.recordExecution(record('a', 1, true, 1));
    const ticket = failing.announceIntent('a', T0 + 2_000);
    expect(failing.flush()).toBe(0);
    expect(failing.isIntentDurable(ticket)).toBe(false);
    expect(errors).toHaveLength(1);
    expect(failing.stats).toMatchObject({ queued: 2, failedFlushes: 1 });
    database.sqlite.pragma('query_only = OFF');
    expect(failing.flush()).toBe(1);
    expect(failing.isIntentDurable(ticket)).toBe(true);
    await failing.close();
    expect(await database.prisma.execution.count()).toBe(1);
  });

  it('resolves whenWritten once every record handed to it is durable: the thread\'s batch first, the rest inline', async () => {
    const { database, writer } = await setup({ worker: true, flushIntervalMs: 1 });
    writer.recordExecution(record('a', 1, true, 5));
    // The first record goes to the thread; this one waits behind it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    writer.recordExecution(record('a', 2, true, 5));
    await writer.whenWritten();
    expect(await database.prisma.execution.count()).toBe(2);
    expect((await database.prisma.job.findUniqueOrThrow({ where: { id: 'a' } })).cursorAt.getTime()).toBe(T0 + 2_000);
  });

  it('rejects whenWritten when the database refuses the records, and at once while it does; keeps them for later', async () => {
    const { database } = await setup();
    const { failing } = refusedWriter(database, { flushIntervalMs: 10_000, maxBatch: 10_000, maxQueued: 100_000 });
    failing.recordExecution(record('a', 1, true, 1));
    await expect(failing.whenWritten()).rejects.toThrow('the execution log cannot be written now');
    await expect(failing.whenWritten()).rejects.toThrow('the execution log cannot be written now');
    database.sqlite.pragma('query_only = OFF');
    // The retry the interval makes.
    expect(failing.flush()).toBe(1);
    await failing.whenWritten();
    expect(await database.prisma.execution.count()).toBe(1);
    await failing.close();
  });

  it('writes what is left inline for whenWritten once it is closed', async () => {
    const { database, writer } = await setup();
    await writer.close();
    writer.recordExecution(record('a', 1, true, 5));
    await writer.whenWritten();
    expect(await database.prisma.execution.count()).toBe(1);
  });

  it('hands the records to its thread for whenWritten, and resolves only with the batch that holds them', async () => {
    const { database, writer, thread } = await setup({ worker: true, flushIntervalMs: 10_000 });
    writer.recordExecution(record('a', 1, true, 5));
    const first = writer.whenWritten();
    writer.recordExecution(record('a', 2, true, 5));
    const second = writer.whenWritten();
    await first;
    await second;
    expect(await database.prisma.execution.count()).toBe(2);
    expect(thread!.alive).toBe(true);
    expect(writer.stats).toMatchObject({ written: 2, queued: 0 });
  });

  it('resolves whenWritten with the thread\'s batch when that one holds the latest records', async () => {
    const { database, writer } = await setup({ worker: true, flushIntervalMs: 10_000 });
    writer.recordExecution(record('a', 1, true, 5));
    const first = writer.whenWritten();
    // The batch leaves for the thread at the next turn; nothing is gathered behind it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(writer.stats.queued).toBe(1);
    await Promise.all([first, writer.whenWritten()]);
    expect(await database.prisma.execution.count()).toBe(1);
  });
});
