import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { StoreUnavailableError } from '../domain/errors.ts';
import { checkNewJob } from '../domain/job-spec.ts';
import { openDatabase, type OpenedDatabase } from './database.ts';
import { JobInserter } from './job-inserter.ts';
import { WriterThread } from './writer-thread.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(options: { thread: boolean; busyTimeoutMs?: number }) {
  const temp = createTempDatabase();
  const database: OpenedDatabase = openDatabase(temp.url, undefined, options.busyTimeoutMs ?? 5_000);
  cleanups.push(temp.remove, () => database.close());
  const thread = options.thread ? new WriterThread({ path: database.path, busyTimeoutMs: options.busyTimeoutMs ?? 5_000 }) : null;
  if (thread) cleanups.push(() => thread.close());
  const inserter = new JobInserter(database.sqlite, thread);
  const count = () => (database.sqlite.prepare('SELECT count(*) AS n FROM "Job"').get() as { n: number }).n;
  return { database, thread, inserter, count };
}

const spec = (second: number) => checkNewJob({ schedule: `${second} * * * * *`, api: 'http://127.0.0.1:9/hook' }, 30_000).spec;
const row = (id: string, second = 1) => ({ id, spec: spec(second), createdAt: 1_000 });
/** More rows than a group written inline may have. */
const rows = (prefix: string, count = 100) => Array.from({ length: count }, (_, i) => row(`${prefix}-${i}`, i % 60));

describe('JobInserter on the writer thread', () => {
  it('writes the creates of one turn together, each durable when its promise resolves', async () => {
    const { inserter, count } = setup({ thread: true });
    await Promise.all(rows('small', 10).map((each) => inserter.insert(each)));
    expect(count()).toBe(10);
    await Promise.all(rows('large', 100).map((each) => inserter.insert(each)));
    expect(count()).toBe(110);
  });

  it('refuses every create of a group commit that the database refused, with SQLite’s reason (a small group: inline, the thread being idle)', async () => {
    const { inserter, count } = setup({ thread: true });
    await inserter.insert(row('taken'));
    const results = await Promise.allSettled([inserter.insert(row('fresh')), inserter.insert(row('taken'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: Job\.id/);
    expect(count()).toBe(1);
  });

  it('inserts many jobs all or none, on the thread or inline', async () => {
    const { inserter, count } = setup({ thread: true });
    await inserter.insertMany(rows('many'));
    await expect(inserter.insertMany([...rows('more'), row('many-7')])).rejects.toThrow(/UNIQUE constraint failed/);
    await inserter.insertMany([row('a'), row('b')]);
    await expect(inserter.insertMany([row('c'), row('a')])).rejects.toThrow(/UNIQUE constraint failed/);
    expect(count()).toBe(102);
  });

  it('sends a create to the thread while the thread writes, so the event loop never waits for the write lock', async () => {
    const { database, inserter, count } = setup({ thread: true });
    const holder = new BetterSqlite3(database.path, { timeout: 5_000 });
    cleanups.push(() => {
      holder.close();
    });
    holder.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    // A large batch goes to the thread, which then waits for the lock; a single create follows it there.
    const batch = inserter.insertMany(rows('batch'));
    const single = inserter.insert(row('single'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(count()).toBe(0);
    holder.exec('COMMIT');
    await Promise.all([batch, single]);
    clearInterval(ticker);
    expect(count()).toBe(101);
    // A loop held by a busy wait would not have ticked at all over the 300 ms.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('once the thread is gone, the thread refuses what it is sent as unavailable and the inserter writes inline', async () => {
    const { thread, inserter, count } = setup({ thread: true });
    await thread!.close();
    await expect(thread!.write({ kind: 'jobs', rows: [] })).rejects.toBeInstanceOf(StoreUnavailableError);
    await inserter.insertMany(rows('inline'));
    expect(count()).toBe(100);
  });
});

describe('JobInserter without a thread', () => {
  it('writes inline, and a refused write is reported as the database being unavailable', async () => {
    const { database, inserter, count } = setup({ thread: false, busyTimeoutMs: 0 });
    await inserter.insert(row('first'));
    const holder = new BetterSqlite3(database.path, { timeout: 0 });
    cleanups.push(() => {
      holder.close();
    });
    holder.exec('BEGIN IMMEDIATE');
    await expect(inserter.insert(row('second'))).rejects.toBeInstanceOf(StoreUnavailableError);
    holder.exec('ROLLBACK');
    expect(count()).toBe(1);
  });
});
