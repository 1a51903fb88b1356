import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { openDatabase, type OpenedDatabase } from './database.ts';
import { RetentionPruner } from './retention.ts';
import { WriterThread } from './writer-thread.ts';

const opened: Array<{ database: OpenedDatabase; remove: () => void }> = [];
const threads: WriterThread[] = [];
afterEach(async () => {
  for (const thread of threads.splice(0)) await thread.close();
  for (const { database, remove } of opened.splice(0)) {
    await database.close();
    remove();
  }
});

const T0 = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;

async function seed(jobs: string[], perJob: number, startedAt: (i: number) => number) {
  const temp = createTempDatabase();
  const database = openDatabase(temp.url);
  opened.push({ database, remove: temp.remove });
  const insert = database.sqlite.prepare(
    'INSERT INTO "Execution" ("jobId", "scheduledAt", "startedAt", "durationMs", "success", "outcome") VALUES (?, ?, ?, 1, 1, \'SUCCEEDED\')',
  );
  for (const id of jobs) {
    const at = new Date(T0);
    await database.prisma.job.create({ data: { id, schedule: '* * * * * *', api: 'http://127.0.0.1:9/', cursorAt: at, createdAt: at, updatedAt: at, totalCount: perJob } });
  }
  database.sqlite.transaction(() => {
    for (let i = 0; i < perJob; i++) for (const id of jobs) insert.run(id, startedAt(i), startedAt(i));
  })();
  return database;
}

/** The pruner inline, or on a writer thread of its own. */
function pruner(database: OpenedDatabase, onThread: boolean, options: ConstructorParameters<typeof RetentionPruner>[1]): RetentionPruner {
  const thread = onThread ? new WriterThread({ path: database.path, busyTimeoutMs: 5_000 }) : null;
  if (thread) threads.push(thread);
  return new RetentionPruner(database.sqlite, options, thread);
}

describe.each([
  ['inline', false],
  ['on the writer thread', true],
])('RetentionPruner %s', (_where, onThread) => {
  it('keeps the newest N executions of every job, in bounded batches, and leaves the counters alone', async () => {
    const database = await seed(['a', 'b', 'c'], 120, (i) => T0 + i * 1_000);
    const retention = pruner(database, onThread, { perJob: 50, maxAgeMs: 0, batchSize: 30, jobsPerRun: 2, now: () => T0 });
    const passes: number[] = [];
    for (let deleted = await retention.runOnce(); deleted > 0 || passes.length < 2; deleted = await retention.runOnce()) passes.push(deleted);
    expect(Math.max(...passes)).toBeLessThanOrEqual(2 * 30);
    for (const jobId of ['a', 'b', 'c']) {
      const rows = await database.prisma.execution.findMany({ where: { jobId }, orderBy: { startedAt: 'asc' } });
      expect(rows).toHaveLength(50);
      expect(rows[0]!.startedAt.getTime()).toBe(T0 + 70_000);
    }
    expect((await database.prisma.job.findUniqueOrThrow({ where: { id: 'a' } })).totalCount).toBe(120);
    expect(retention.stats.deleted).toBe(3 * 70);
  });

  it('removes what is older than the maximum age', async () => {
    const database = await seed(['a'], 10, (i) => T0 + i * DAY);
    const retention = pruner(database, onThread, { perJob: 0, maxAgeMs: 3 * DAY, batchSize: 1_000, jobsPerRun: 10, now: () => T0 + 10 * DAY });
    expect(await retention.runOnce()).toBe(7);
    expect(await database.prisma.execution.count()).toBe(3);
  });
});
