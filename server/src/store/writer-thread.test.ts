import { statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { StoreUnavailableError } from '../domain/errors.ts';
import { checkNewJob } from '../domain/job-spec.ts';
import { openDatabase } from './database.ts';
import { JobInserter } from './job-inserter.ts';
import type { JobInsertParams } from './job-insert-statement.ts';
import { WAL_AUTOCHECKPOINT_OFF, WriterThread } from './writer-thread.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('WriterThread', () => {
  it('reports a thread that crashed, and refuses what was sent to it as unavailable', async () => {
    const lost: unknown[] = [];
    // The thread cannot open a file in a directory that does not exist: it fails as it starts.
    const thread = new WriterThread({ path: join(tmpdir(), 'zeitgeber-no-such-dir', 'db.sqlite'), busyTimeoutMs: 100 }, { onLost: (error) => lost.push(error) });
    const write = thread.write({ kind: 'jobs', rows: [] });
    await expect(write).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(thread.alive).toBe(false);
    expect(lost).toHaveLength(1);
    expect(String(lost[0])).toMatch(/unable to open database file|directory does not exist/);
    await expect(thread.write({ kind: 'jobs', rows: [] })).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('refuses a request it cannot send, and goes on with the next ones', async () => {
    const temp = createTempDatabase();
    const database = openDatabase(temp.url);
    cleanups.push(temp.remove, () => database.close());
    const thread = new WriterThread({ path: database.path, busyTimeoutMs: 5_000 });
    cleanups.push(() => thread.close());
    const uncloneable = [[() => 'a function']] as unknown as JobInsertParams[];
    await expect(thread.write({ kind: 'jobs', rows: uncloneable })).rejects.toThrow(/could not be cloned/);
    expect(thread.idle).toBe(true);
    await expect(thread.write({ kind: 'jobs', rows: [] })).resolves.toMatchObject({ pruned: null });
  });

  it('takes nothing more once its close has begun: writes go inline from then on', async () => {
    const temp = createTempDatabase();
    const database = openDatabase(temp.url);
    cleanups.push(temp.remove, () => database.close());
    const thread = new WriterThread({ path: database.path, busyTimeoutMs: 5_000 });
    const sent = thread.write({ kind: 'jobs', rows: [] });
    const closed = thread.close();
    expect(thread.alive).toBe(false);
    await expect(thread.write({ kind: 'jobs', rows: [] })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(sent).resolves.toMatchObject({ pruned: null });
    await closed;
  });

  it('checkpoints into the file what another connection wrote to the WAL', async () => {
    const temp = createTempDatabase();
    const database = openDatabase(temp.url);
    cleanups.push(temp.remove, () => database.close());
    database.sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_OFF}`);
    const spec = checkNewJob({ schedule: '1 * * * * *', api: 'http://127.0.0.1:9/hook' }, 30_000).spec;
    const inserter = new JobInserter(database.sqlite);
    const batch = inserter.openBatch();
    batch.add(Array.from({ length: 2_000 }, (_, i) => ({ id: `job-${i}`, spec, createdAt: 1_000 })));
    await batch.commit(1_000);
    const fileSize = () => statSync(database.path).size;
    // Nothing copies the rows into the file on its own: they stay in the WAL.
    const before = fileSize();
    await sleep(200);
    expect(fileSize()).toBe(before);
    const thread = new WriterThread({ path: database.path, busyTimeoutMs: 5_000, checkpointEveryMs: 20 });
    cleanups.push(() => thread.close());
    const deadline = Date.now() + 5_000;
    while (fileSize() === before && Date.now() < deadline) await sleep(20);
    expect(fileSize()).toBeGreaterThan(before);
  });
});
