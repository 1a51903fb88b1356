import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { JobNotFoundError, ValidationError } from '../domain/errors.ts';
import { DEFAULT_POLICY, policyOf, policyValues } from '../domain/job-policy.ts';
import type { JobSpec } from '../domain/job-spec.ts';
import { openDatabase, type OpenedDatabase } from '../store/database.ts';
import { JobRepository } from '../store/job-repository.ts';
import { AuditService, MAX_AUDIT_OCCURRENCES, type AuditServiceDeps } from './audit-service.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const s = (seconds: number) => T0 + seconds * 1_000;

const opened: Array<{ database: OpenedDatabase; remove: () => void; audit: AuditService }> = [];
afterEach(async () => {
  for (const { database, remove, audit } of opened.splice(0)) {
    audit.stop();
    await database.close();
    remove();
  }
});

const spec = (overrides: Partial<JobSpec> = {}): JobSpec => ({
  schedule: '* * * * * *',
  timezone: 'UTC',
  api: 'http://127.0.0.1:9/hook',
  type: 'ATLEAST_ONCE',
  alertWebhook: null,
  timeoutMs: 1_000,
  maxAttempts: 1,
  policy: DEFAULT_POLICY,
  ...overrides,
});

/** The audit over a real SQLite file, on a manual clock, with an engine that records what it is asked to send. */
function setUp(overrides: Partial<AuditServiceDeps> = {}) {
  const temp = createTempDatabase();
  const database = openDatabase(temp.url);
  const clock = new ManualClock(s(0));
  const jobs = new JobRepository(database.prisma, database.sqlite);
  const sent: Array<[string, number]> = [];
  const missing: Array<[string, number[]]> = [];
  const engineAccounts = new Map<string, number>();
  const audit = new AuditService({
    jobs,
    engine: {
      fireOccurrence: (jobId, at) => (sent.push([jobId, at]), true),
      accountedUpTo: (jobId) => engineAccounts.get(jobId) ?? Number.NEGATIVE_INFINITY,
    },
    clock,
    pace: () => Promise.resolve(),
    graceMs: 1_000,
    jobsPerPass: 100,
    backfillRatePerSecond: 1_000,
    retention: { maxAgeMs: 0, perJob: 0 },
    onMissing: (jobId, instants) => missing.push([jobId, instants]),
    onError: (error) => {
      throw error;
    },
    ...overrides,
  });
  opened.push({ database, remove: temp.remove, audit });
  const insertExecution = database.sqlite.prepare(
    `INSERT INTO "Execution" ("jobId", "scheduledAt", "startedAt", "durationMs", "attempt", "trigger", "statusCode", "success", "outcome")
     VALUES (?, ?, ?, 5, ?, ?, ?, ?, ?)`,
  );
  const db = {
    execution(jobId: string, at: number, { attempt = 1, trigger = 'SCHEDULE', statusCode = 200 as number | null, outcome = 'SUCCEEDED' } = {}) {
      insertExecution.run(jobId, at, at, attempt, trigger, statusCode, outcome === 'SUCCEEDED' ? 1 : 0, outcome);
    },
    skip(jobId: string, fromAt: number, toAt: number, reason: string) {
      database.sqlite
        .prepare('INSERT INTO "Skip" ("jobId", "fromAt", "toAt", "count", "reason", "createdAt") VALUES (?, ?, ?, NULL, ?, ?)')
        .run(jobId, fromAt, toAt, reason, toAt);
    },
    job(jobId: string, columns: Record<string, number | string>) {
      const set = Object.keys(columns).map((column) => `"${column}" = ?`).join(', ');
      database.sqlite.prepare(`UPDATE "Job" SET ${set} WHERE "id" = ?`).run(...Object.values(columns), jobId);
    },
  };
  return { audit, clock, jobs, db, sent, missing, engineAccounts };
}

const summary = (occurrences: Array<{ scheduledAt: number; outcome: string; reason: string | null; attempts: number }>) =>
  occurrences.map((o) => `${(o.scheduledAt - T0) / 1_000} ${o.outcome}${o.reason ? ` ${o.reason}` : ''}${o.attempts > 1 ? ` x${o.attempts}` : ''}`);

describe('AuditService.audit', () => {
  it('accounts for every occurrence from the records of the window, walking from the job\'s creation', async () => {
    const { audit, clock, jobs, db } = setUp();
    await jobs.insert('job', spec(), s(0));
    db.execution('job', s(1));
    db.execution('job', s(2), { outcome: 'FAILED', statusCode: 503 });
    db.execution('job', s(2), { attempt: 2, outcome: 'FAILED', statusCode: 500 });
    db.skip('job', s(3), s(4), 'MISFIRE');
    db.execution('job', s(5), { trigger: 'CATCH_UP' });
    db.execution('job', s(6), { trigger: 'MANUAL' });
    db.execution('job', s(7), { trigger: 'RECOVERY', outcome: 'UNKNOWN', statusCode: null });
    db.job('job', { cursorAt: s(7) });
    clock.advanceTo(s(9));

    const result = await audit.audit('job', s(-60), s(10));

    expect(summary(result.occurrences)).toEqual([
      '1 SUCCEEDED',
      '2 FAILED x2',
      '3 SKIPPED MISFIRE',
      '4 SKIPPED MISFIRE',
      '5 SUCCEEDED',
      '6 MISSING',
      '7 UNKNOWN',
      '8 PENDING',
      '9 PENDING',
      '10 PENDING',
    ]);
    expect(result.occurrences[1]!.statusCode).toBe(500);
    expect(result).toMatchObject({ jobId: 'job', expected: 10, accounted: 6, unaccounted: 1, truncated: false });
  });

  it('keeps what the engine still holds or has in flight pending, however old (a catch-up sent one at a time)', async () => {
    const { audit, clock, jobs, db, engineAccounts } = setUp();
    await jobs.insert('job', spec(), s(0));
    db.execution('job', s(1));
    db.job('job', { cursorAt: s(1) });
    engineAccounts.set('job', s(3));
    clock.advanceTo(s(600));
    const result = await audit.audit('job', s(0), s(4));
    expect(summary(result.occurrences)).toEqual(['1 SUCCEEDED', '2 PENDING', '3 PENDING', '4 MISSING']);
  });

  it('examines at most MAX_AUDIT_OCCURRENCES and says the answer is truncated', async () => {
    const { audit, clock, jobs } = setUp();
    await jobs.insert('job', spec(), s(0));
    clock.advanceTo(s(100));
    const result = await audit.audit('job', s(0), s(86_400));
    expect(result.occurrences).toHaveLength(MAX_AUDIT_OCCURRENCES);
    expect(result.truncated).toBe(true);
    expect(result.occurrences.at(-1)!.scheduledAt).toBe(s(MAX_AUDIT_OCCURRENCES));
  });

  it('refuses an empty window and an unknown job', async () => {
    const { audit } = setUp();
    await expect(audit.audit('job', s(10), s(10))).rejects.toThrow(ValidationError);
    await expect(audit.audit('job', s(10), s(5))).rejects.toThrow('"to" must be after "from"');
    await expect(audit.audit('nope', s(0), s(10))).rejects.toThrow(JobNotFoundError);
  });

  it('leaves out occurrences whose records retention may have removed', async () => {
    const { audit, clock, jobs, db } = setUp({ retention: { maxAgeMs: 0, perJob: 3 } });
    await jobs.insert('job', spec(), s(0));
    for (const second of [4, 5, 6]) db.execution('job', s(second));
    db.job('job', { cursorAt: s(6), totalCount: 6 });
    clock.advanceTo(s(30));
    const result = await audit.audit('job', s(0), s(6));
    // Rows 1-3 were trimmed; the oldest kept finished 5 ms after second 4.
    expect(summary(result.occurrences)).toEqual(['4 SUCCEEDED', '5 SUCCEEDED', '6 SUCCEEDED']);
    expect(result.unaccounted).toBe(0);
  });
});

describe('AuditService.audit across DST transitions (the job\'s own DST policy)', () => {
  const berlin = (policy: Partial<ReturnType<typeof policyValues>>) =>
    spec({ schedule: '0 30 2 * * *', timezone: 'Europe/Berlin', policy: policyOf({ ...policyValues(DEFAULT_POLICY), ...policy }) });
  const utc = (text: string) => Date.parse(text);

  it('expects 02:30 twice on the night clocks fall back when the job runs both', async () => {
    const { audit, clock, jobs, db } = setUp();
    await jobs.insert('both', berlin({ dstOverlap: 'BOTH' }), utc('2026-10-24T12:00:00Z'));
    await jobs.insert('first', berlin({ dstOverlap: 'FIRST' }), utc('2026-10-24T12:00:00Z'));
    for (const id of ['both', 'first']) {
      for (const at of ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2026-10-26T01:30:00Z']) db.execution(id, utc(at));
      db.job(id, { cursorAt: utc('2026-10-26T01:30:00Z') });
    }
    clock.advanceTo(utc('2026-10-27T00:00:00Z'));
    const both = await audit.audit('both', utc('2026-10-24T00:00:00Z'), utc('2026-10-27T00:00:00Z'));
    expect(both.occurrences.map((o) => [new Date(o.scheduledAt).toISOString(), o.outcome])).toEqual([
      ['2026-10-25T00:30:00.000Z', 'SUCCEEDED'],
      ['2026-10-25T01:30:00.000Z', 'SUCCEEDED'],
      ['2026-10-26T01:30:00.000Z', 'SUCCEEDED'],
    ]);
    const first = await audit.audit('first', utc('2026-10-24T00:00:00Z'), utc('2026-10-27T00:00:00Z'));
    expect(first.occurrences.map((o) => new Date(o.scheduledAt).toISOString())).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    expect(first.unaccounted).toBe(0);
  });

  it('expects no occurrence on the night clocks spring forward past 02:30 when the job skips the gap', async () => {
    const { audit, clock, jobs, db } = setUp();
    await jobs.insert('skip', berlin({ dstGap: 'SKIP' }), utc('2026-03-27T12:00:00Z'));
    await jobs.insert('shift', berlin({ dstGap: 'SHIFT' }), utc('2026-03-27T12:00:00Z'));
    for (const id of ['skip', 'shift']) {
      for (const at of ['2026-03-28T01:30:00Z', '2026-03-30T00:30:00Z']) db.execution(id, utc(at));
      db.job(id, { cursorAt: utc('2026-03-30T00:30:00Z') });
    }
    clock.advanceTo(utc('2026-03-31T00:00:00Z'));
    const skip = await audit.audit('skip', utc('2026-03-27T00:00:00Z'), utc('2026-03-30T12:00:00Z'));
    expect(skip).toMatchObject({ expected: 2, accounted: 2, unaccounted: 0 });
    const shift = await audit.audit('shift', utc('2026-03-27T00:00:00Z'), utc('2026-03-30T12:00:00Z'));
    expect(shift.occurrences.map((o) => [new Date(o.scheduledAt).toISOString(), o.outcome])).toEqual([
      ['2026-03-28T01:30:00.000Z', 'SUCCEEDED'],
      ['2026-03-29T01:30:00.000Z', 'MISSING'],
      ['2026-03-30T00:30:00.000Z', 'SUCCEEDED'],
    ]);
  });
});

describe('AuditService.backfill', () => {
  async function withOwedOccurrences() {
    const setup = setUp();
    await setup.jobs.insert('job', spec(), s(0));
    setup.db.execution('job', s(1));
    setup.db.skip('job', s(2), s(3), 'PAUSED');
    setup.db.execution('job', s(4));
    setup.db.skip('job', s(6), s(6), 'OVERLAP');
    setup.db.job('job', { cursorAt: s(6) });
    setup.clock.advanceTo(s(8));
    return setup;
  }

  it('lists the skipped and missing occurrences of the past window in a dry run, and sends nothing', async () => {
    const { audit, sent } = await withOwedOccurrences();
    const result = await audit.backfill('job', s(0), s(60), true);
    expect(result).toEqual({ jobId: 'job', dryRun: true, count: 4, truncated: false, occurrences: [s(2), s(3), s(5), s(6)] });
    expect(sent).toEqual([]);
  });

  it('of a paused job, sends only what the engine accounts for: the rest is its resume’s to plan', async () => {
    const { audit, sent, db, engineAccounts, clock } = await withOwedOccurrences();
    db.job('job', { status: 'PAUSED' });
    engineAccounts.set('job', s(6));
    clock.advanceTo(s(20));
    const result = await audit.backfill('job', s(0), s(20), false);
    expect(result.occurrences).toEqual([s(2), s(3), s(5), s(6)]);
    // Cut short of the window asked for: said so.
    expect(result.truncated).toBe(true);
    await expect.poll(() => sent.length).toBe(4);
    expect(sent.map(([, at]) => at)).toEqual([s(2), s(3), s(5), s(6)]);
  });

  it('sends them in order, each as itself, and then counts them as run', async () => {
    const { audit, sent, db } = await withOwedOccurrences();
    const result = await audit.backfill('job', s(0), s(7), false);
    expect(result.dryRun).toBe(false);
    await expect.poll(() => sent.length).toBe(4);
    expect(sent).toEqual([['job', s(2)], ['job', s(3)], ['job', s(5)], ['job', s(6)]]);
    expect(audit.stats.backfillsRunning).toBe(0);
    for (const [, at] of sent) db.execution('job', at, { trigger: 'BACKFILL' });
    const after = await audit.audit('job', s(0), s(7));
    expect(summary(after.occurrences)).toEqual(['1 SUCCEEDED', '2 SUCCEEDED', '3 SUCCEEDED', '4 SUCCEEDED', '5 SUCCEEDED', '6 SUCCEEDED', '7 PENDING']);
    expect((await audit.backfill('job', s(0), s(7), true)).count).toBe(0);
  });

  it('runs one backfill per job at a time, at the configured rate, and stops with the service', async () => {
    const setup = setUp({ backfillRatePerSecond: 1 });
    await setup.jobs.insert('job', spec(), s(0));
    setup.clock.advanceTo(s(60));
    await setup.audit.backfill('job', s(0), s(10), false);
    expect(setup.sent).toHaveLength(1);
    await expect(setup.audit.backfill('job', s(0), s(10), false)).rejects.toThrow('is still running');
    expect((await setup.audit.backfill('job', s(0), s(10), true)).count).toBe(10);
    setup.audit.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(setup.sent).toHaveLength(1);
  });

  it('refuses a window in the future and cuts a window at now', async () => {
    const { audit } = await withOwedOccurrences();
    await expect(audit.backfill('job', s(9), s(20), true)).rejects.toThrow('is in the future');
    const result = await audit.backfill('job', s(5), s(3_600), true);
    expect(result.occurrences).toEqual([s(5), s(6)]);
  });
});

describe('AuditService self-audit', () => {
  it('visits jobs round robin and reports the missing occurrences of the latest round', async () => {
    const { audit, clock, jobs, db, missing } = setUp({ jobsPerPass: 1 });
    await jobs.insert('a', spec(), s(0));
    await jobs.insert('b', spec(), s(0));
    for (const second of [1, 2, 3]) db.execution('a', s(second));
    for (const second of [1, 3]) db.execution('b', s(second));
    db.job('a', { cursorAt: s(3) });
    db.job('b', { cursorAt: s(3) });
    clock.advanceTo(s(3));

    await audit.runPass();
    expect(audit.stats).toMatchObject({ passes: 1, rounds: 0, jobsAudited: 1, unaccountedOccurrences: 0 });
    await audit.runPass();
    expect(audit.stats).toMatchObject({ passes: 2, rounds: 0, jobsAudited: 2, unaccountedOccurrences: 1 });
    expect(missing).toEqual([['b', [s(2)]]]);
    await audit.runPass();
    expect(audit.stats).toMatchObject({ passes: 3, rounds: 1, unaccountedOccurrences: 1 });

    db.execution('b', s(2), { trigger: 'BACKFILL' });
    for (let pass = 0; pass < 3; pass++) await audit.runPass();
    expect(audit.stats).toMatchObject({ rounds: 2, unaccountedOccurrences: 0 });
  });
});
