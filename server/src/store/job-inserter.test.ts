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

describe('JobInserter on the writer thread', () => {
  it('writes the creates of one turn together, each durable when its promise resolves', async () => {
    const { inserter, count } = setup({ thread: true });
    await Promise.all(Array.from({ length: 50 }, (_, i) => inserter.insert(row(`job-${i}`, i % 60))));
    expect(count()).toBe(50);
  });

  it('refuses every create of a group commit that the database refused, with SQLite’s reason', async () => {
    const { inserter, count } = setup({ thread: true });
    await inserter.insert(row('taken'));
    const results = await Promise.allSettled([inserter.insert(row('fresh')), inserter.insert(row('taken'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: Job\.id/);
    expect(count()).toBe(1);
  });

  it('inserts many jobs all or none', async () => {
    const { inserter, count } = setup({ thread: true });
    await inserter.insertMany([row('a'), row('b'), row('c')]);
    await expect(inserter.insertMany([row('d'), row('a')])).rejects.toThrow(/UNIQUE constraint failed/);
    expect(count()).toBe(3);
  });

  it('keeps the event loop free while the insert waits for another connection’s write lock', async () => {
    const { database, inserter, count } = setup({ thread: true });
    const holder = new BetterSqlite3(database.path, { timeout: 5_000 });
    cleanups.push(() => {
      holder.close();
    });
    holder.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const inserted = inserter.insert(row('waiting'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(count()).toBe(0);
    holder.exec('COMMIT');
    await inserted;
    clearInterval(ticker);
    expect(count()).toBe(1);
    // A loop held by a busy wait would not have ticked at all over the 300 ms.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('refuses creates as unavailable once the thread is gone, and writes inline after that', async () => {
    const { thread, inserter, count } = setup({ thread: true });
    await thread!.close();
    await expect(thread!.write({ kind: 'jobs', rows: [] })).rejects.toBeInstanceOf(StoreUnavailableError);
    await inserter.insert(row('inline'));
    expect(count()).toBe(1);
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
