import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { DEFAULT_POLICY } from '../domain/job-policy.ts';
import { checkNewJob } from '../domain/job-spec.ts';
import { openDatabase, type OpenedDatabase } from './database.ts';
import { JobInserter } from './job-inserter.ts';
import { scanScheduleRows } from './job-scan.ts';

let opened: { database: OpenedDatabase; remove: () => void } | null = null;
afterEach(async () => {
  await opened?.database.close();
  opened?.remove();
  opened = null;
});

describe('scanScheduleRows', () => {
  it('reads each job back with its own spec and policy, whether it states the same policy as the job before or not', async () => {
    const temp = createTempDatabase();
    const database = openDatabase(temp.url);
    opened = { database, remove: temp.remove };
    const inputs = [
      { schedule: '1 * * * * *', api: 'http://127.0.0.1:9/a' },
      { schedule: '2 * * * * *', api: 'http://127.0.0.1:9/b', overlapPolicy: 'SKIP', catchUpLimit: 4 },
      { schedule: '3 * * * * *', api: 'http://127.0.0.1:9/c', overlapPolicy: 'SKIP', catchUpLimit: 5 },
      { schedule: '4 * * * * *', api: 'http://127.0.0.1:9/d', timezone: 'Europe/Paris' },
    ];
    const specs = inputs.map((input) => checkNewJob(input, 30_000).spec);
    const inserter = new JobInserter(database.sqlite);
    await Promise.all(specs.map((spec, i) => inserter.insert({ id: `job-${i}`, spec, createdAt: 1_000 + i })));
    const rows = [...scanScheduleRows(database.sqlite)].sort((a, b) => a.id.localeCompare(b.id));
    expect(rows.map((row) => row.spec)).toEqual(specs);
    expect(rows.map((row) => row.spec.policy)).toEqual(specs.map((spec) => spec.policy));
    expect(rows[0]!.spec.policy).toBe(DEFAULT_POLICY);
    expect(rows[3]!.spec.policy).toBe(DEFAULT_POLICY);
    expect(rows[2]!.spec.policy).not.toBe(rows[1]!.spec.policy);
    expect(rows.map(({ status, cursorAt, intentAt, rescheduledAt, owed }) => ({ status, cursorAt, intentAt, rescheduledAt, owed }))).toEqual(
      specs.map((_, i) => ({ status: 'ACTIVE', cursorAt: 1_000 + i, intentAt: null, rescheduledAt: null, owed: [] })),
    );
  });
});
