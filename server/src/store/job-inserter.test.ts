import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { StoreUnavailableError } from '../domain/errors.ts';
import { checkNewJob } from '../domain/job-spec.ts';
import { openDatabase, type OpenedDatabase } from './database.ts';
import { JobInserter } from './job-inserter.ts';
import { JobRowPacker, prepareJobInsert, prepareJobStage } from './job-insert-statement.ts';
import { WriterThread, type WriterTask } from './writer-thread.ts';

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

/** Writes `all` as one batch, added in parts of `part`. */
async function insertBatch(inserter: JobInserter, all: ReturnType<typeof row>[], part = 40): Promise<void> {
  const batch = inserter.openBatch();
  for (let start = 0; start < all.length; start += part) batch.add(all.slice(start, start + part));
  await batch.commit(1_000);
}

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

  it('inserts a batch all or none', async () => {
    const { inserter, count } = setup({ thread: true });
    await insertBatch(inserter, rows('many'));
    await expect(insertBatch(inserter, [...rows('more'), row('many-7')])).rejects.toThrow(/UNIQUE constraint failed/);
    await insertBatch(inserter, [row('a'), row('b')]);
    await expect(insertBatch(inserter, [row('c'), row('a')])).rejects.toThrow(/UNIQUE constraint failed/);
    expect(count()).toBe(102);
  });

  it('stores every row of a batch whose parts share specs with its own spec and first intent', async () => {
    const { database, inserter } = setup({ thread: true });
    const shared = [spec(5), spec(10), spec(15)];
    const all = Array.from({ length: 100 }, (_, i) => ({ id: `shared-${String(i).padStart(3, '0')}`, spec: shared[i % 3]!, intentAt: i % 2 === 0 ? 10_000 + i : null }));
    const batch = inserter.openBatch();
    for (let start = 0; start < all.length; start += 40) batch.add(all.slice(start, start + 40));
    await batch.commit(1_000);
    const stored = database.sqlite.prepare('SELECT "id", "schedule", "api", "intentAt" FROM "Job" ORDER BY "id"').all();
    expect(stored).toEqual(all.map(({ id, spec: { schedule, api }, intentAt }) => ({ id, schedule, api, intentAt })));
  });

  it('leaves the file’s write lock free while the parts of a batch wait for its commit, and inserts them then in the order they were added', async () => {
    const { database, inserter, count } = setup({ thread: true });
    const batch = inserter.openBatch();
    batch.add(rows('first'));
    batch.add(rows('second'));
    // A write transaction of another connection gets the lock at once (no wait allowed) while the parts are staged.
    const other = new BetterSqlite3(database.path, { timeout: 0 });
    cleanups.push(() => {
      other.close();
    });
    for (let turn = 0; turn < 5; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');
    }
    expect(count()).toBe(0);
    await batch.commit(1_000);
    expect(count()).toBe(200);
    // In the order they were added: the first part's rows come first.
    const ids = database.sqlite.prepare('SELECT "id" FROM "Job" ORDER BY rowid').pluck().all() as string[];
    expect(ids.slice(0, 2)).toEqual(['first-0', 'first-1']);
    expect(ids.at(-1)).toBe('second-99');
  });

  it('keeps batches staged side by side apart, and writes nothing of one dropped', async () => {
    const { database, inserter, count } = setup({ thread: true });
    const one = inserter.openBatch();
    const two = inserter.openBatch();
    const three = inserter.openBatch();
    one.add(rows('one', 3));
    two.add(rows('two', 4));
    three.add(rows('three', 5));
    one.add([row('one-last')]);
    two.drop();
    await three.commit(1_000);
    await one.commit(1_000);
    expect(count()).toBe(9);
    const ids = database.sqlite.prepare('SELECT "id" FROM "Job"').pluck().all() as string[];
    expect(ids.filter((id) => id.startsWith('one-'))).toHaveLength(4);
    expect(ids.filter((id) => id.startsWith('two-'))).toEqual([]);
    // What a refused commit staged is gone with it: the same rows commit in a batch of their own.
    const refused = inserter.openBatch();
    refused.add([row('again'), row('one-0')]);
    await expect(refused.commit(1_000)).rejects.toThrow(/UNIQUE constraint failed/);
    await insertBatch(inserter, [row('again')]);
    expect(count()).toBe(10);
  });

  it('creates every row of a batch at its commit, with the intent each was staged with, on the thread or inline', async () => {
    const { database, thread, inserter } = setup({ thread: true });
    const times = () => database.sqlite.prepare('SELECT "createdAt", "cursorAt", "updatedAt", "intentAt" FROM "Job" ORDER BY rowid').all();
    const staged = inserter.openBatch();
    staged.add([{ ...row('staged'), intentAt: 7_000 }, row('staged-none')]);
    await staged.commit(5_000);
    await thread!.close();
    const inline = inserter.openBatch();
    inline.add([{ ...row('inline'), intentAt: 9_000 }]);
    await inline.commit(6_000);
    expect(times()).toEqual([
      { createdAt: 5_000, cursorAt: 5_000, updatedAt: 5_000, intentAt: 7_000 },
      { createdAt: 5_000, cursorAt: 5_000, updatedAt: 5_000, intentAt: null },
      { createdAt: 6_000, cursorAt: 6_000, updatedAt: 6_000, intentAt: 9_000 },
    ]);
  });

  it('writes inline the parts it staged on a thread that is gone before the commit', async () => {
    const { thread, inserter, count } = setup({ thread: true });
    const batch = inserter.openBatch();
    batch.add(rows('staged'));
    await thread!.close();
    batch.add(rows('later', 20));
    await batch.commit(1_000);
    expect(count()).toBe(120);
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
    const batch = insertBatch(inserter, rows('batch'));
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
    await insertBatch(inserter, rows('inline'));
    expect(count()).toBe(100);
  });
});

/**
 * Stands in for a writer thread that is lost while a transaction of new jobs is under way: it
 * writes on a connection of its own, as the thread does, and then (or instead, with
 * `committed: false`) answers as a lost thread does. A real thread cannot be stopped between its
 * COMMIT and its answer on purpose.
 */
function threadLostDuringCommit(path: string, committed: boolean): WriterThread {
  const connection = new BetterSqlite3(path, { timeout: 5_000 });
  cleanups.push(() => {
    connection.close();
  });
  const stage = prepareJobStage(connection);
  const insert = prepareJobInsert(connection);
  const thread = {
    alive: true,
    idle: false,
    async write(task: WriterTask) {
      if (task.kind === 'stage-jobs') {
        stage.stage(task.batch, task.rows);
        return { ms: 0, pruned: null };
      }
      if (task.kind === 'commit-jobs' && committed) stage.commit(task.batch, task.count, task.at);
      if (task.kind === 'jobs' && committed) insert(task.rows);
      thread.alive = false;
      throw new StoreUnavailableError('the writer thread stopped');
    },
  };
  return thread as unknown as WriterThread;
}

describe('JobInserter whose thread is lost during a commit', () => {
  it('reports a batch its transaction committed as created, and writes nothing twice', async () => {
    const { database, count } = setup({ thread: false });
    const inserter = new JobInserter(database.sqlite, threadLostDuringCommit(database.path, true));
    await insertBatch(inserter, rows('committed'));
    expect(count()).toBe(100);
  });

  it('writes inline a batch its transaction did not commit', async () => {
    const { database, count } = setup({ thread: false });
    const inserter = new JobInserter(database.sqlite, threadLostDuringCommit(database.path, false));
    await insertBatch(inserter, rows('lost'));
    expect(count()).toBe(100);
  });

  it('resolves the creates of a group commit that committed, and writes those of one that did not inline', async () => {
    for (const committed of [true, false]) {
      const { database, count } = setup({ thread: false });
      const inserter = new JobInserter(database.sqlite, threadLostDuringCommit(database.path, committed));
      await Promise.all(rows(`group-${committed}`).map((next) => inserter.insert(next)));
      expect(count()).toBe(100);
    }
  });
});

describe('JobRowPacker', () => {
  it('sends each spec of a batch with the first part that has it, and numbers them across the parts', () => {
    const [a, b, c] = [spec(1), spec(2), spec(3)];
    const packer = new JobRowPacker();
    const first = packer.pack([
      { id: 'j1', spec: a, intentAt: 5_000 },
      { id: 'j2', spec: b },
      { id: 'j3', spec: a, intentAt: null },
    ]);
    expect(first.specs.map((values) => values[0])).toEqual(['1 * * * * *', '2 * * * * *']);
    expect(first.ids).toEqual(['j1', 'j2', 'j3']);
    expect([...first.specOf]).toEqual([0, 1, 0]);
    expect([...first.intents]).toEqual([5_000, Number.NaN, Number.NaN]);
    const second = packer.pack([
      { id: 'j4', spec: c },
      { id: 'j5', spec: b },
    ]);
    expect(second.specs.map((values) => values[0])).toEqual(['3 * * * * *']);
    expect([...second.specOf]).toEqual([2, 1]);
    expect([first.specBase, second.specBase]).toEqual([0, 2]);
  });
});

describe('prepareJobStage', () => {
  it('commits a batch only with as many rows staged as it expects, and forgets them either way', () => {
    const { database, count } = setup({ thread: false });
    const stage = prepareJobStage(database.sqlite);
    stage.stage(1, new JobRowPacker().pack(rows('short', 3)));
    expect(() => stage.commit(1, 4, 1_000)).toThrow(/batch 1 of new jobs has 3 rows staged, expected 4/);
    expect(count()).toBe(0);
    // Forgotten: nothing of it is left to copy.
    expect(() => stage.commit(1, 3, 1_000)).toThrow(/has 0 rows staged/);
    stage.stage(2, new JobRowPacker().pack(rows('whole', 3)));
    stage.commit(2, 3, 1_000);
    expect(count()).toBe(3);
  });

  it('refuses a part whose specs are numbered past the ones that arrived, and stages the batch’s other parts', () => {
    const { database } = setup({ thread: false });
    const stage = prepareJobStage(database.sqlite);
    const packer = new JobRowPacker();
    const shared = [spec(1), spec(2), spec(3)];
    stage.stage(1, packer.pack([{ id: 'p-0', spec: shared[0]! }]));
    packer.pack([{ id: 'p-1', spec: shared[1]! }]);
    expect(() => stage.stage(1, packer.pack([{ id: 'p-2', spec: shared[2]! }]))).toThrow(/batch 1 of new jobs: a part numbers its specs from 2, 1 arrived/);
    stage.commit(1, 1, 1_000);
    expect(database.sqlite.prepare('SELECT "id", "schedule" FROM "Job"').all()).toEqual([{ id: 'p-0', schedule: '1 * * * * *' }]);
  });

  it('stages each batch in a table of its own while it is open, and empties the table for the next batches after', () => {
    const { database, count } = setup({ thread: false });
    const stage = prepareJobStage(database.sqlite);
    const names = () => database.sqlite.prepare("SELECT name FROM sqlite_temp_master WHERE type = 'table' ORDER BY name").pluck().all();
    const staged = () => names().reduce((sum: number, name) => sum + (database.sqlite.prepare(`SELECT count(*) FROM temp."${String(name)}"`).pluck().get() as number), 0);
    stage.stage(1, new JobRowPacker().pack(rows('one', 3)));
    stage.stage(2, new JobRowPacker().pack(rows('two', 2)));
    expect(names()).toEqual(['JobStage_1', 'JobStage_2']);
    stage.commit(1, 3, 1_000);
    stage.drop(2);
    expect(staged()).toBe(0);
    stage.stage(3, new JobRowPacker().pack(rows('three', 4)));
    stage.stage(4, new JobRowPacker().pack(rows('four', 1)));
    expect(names()).toEqual(['JobStage_1', 'JobStage_2']);
    stage.commit(3, 4, 1_000);
    stage.commit(4, 1, 1_000);
    // A batch that staged nothing commits nothing.
    stage.commit(5, 0, 1_000);
    expect(count()).toBe(8);
    expect(staged()).toBe(0);
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

  it('inserts a batch inline at its commit, all or none', async () => {
    const { inserter, count } = setup({ thread: false });
    const batch = inserter.openBatch();
    batch.add(rows('inline'));
    expect(count()).toBe(0);
    await batch.commit(1_000);
    expect(count()).toBe(100);
    await expect(insertBatch(inserter, [row('new'), row('inline-3')])).rejects.toThrow(/UNIQUE constraint failed/);
    expect(count()).toBe(100);
  });
});
