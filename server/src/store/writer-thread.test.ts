import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../domain/errors.ts';
import { WriterThread } from './writer-thread.ts';

describe('WriterThread', () => {
  it('reports a thread that crashed, and refuses what was sent to it as unavailable', async () => {
    const lost: unknown[] = [];
    // The thread cannot open a file in a directory that does not exist: it fails as it starts.
    const thread = new WriterThread({ path: join(tmpdir(), 'zeitgeber-no-such-dir', 'db.sqlite'), busyTimeoutMs: 100 }, (error) => lost.push(error));
    const write = thread.write({ kind: 'jobs', rows: [] });
    await expect(write).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(thread.alive).toBe(false);
    expect(lost).toHaveLength(1);
    expect(String(lost[0])).toMatch(/unable to open database file|directory does not exist/);
    await expect(thread.write({ kind: 'jobs', rows: [] })).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
