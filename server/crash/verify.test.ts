import { describe, expect, it } from 'vitest';
import type { TargetRequest } from './target-log.ts';
import { occurrencesOf, verifyCrashRun, type CrashRunFacts, type CreatedJob } from './verify.ts';

const least: CreatedJob = { id: 'least', type: 'ATLEAST_ONCE', periodMs: 1_000, createdAt: 10_500 };
const most: CreatedJob = { id: 'most', type: 'ATMOST_ONCE', periodMs: 2_000, createdAt: 10_500 };

function request(jobId: string, scheduledAt: number, trigger = 'SCHEDULE', key = `${jobId}:${scheduledAt}`): TargetRequest {
  return { arrivedAt: scheduledAt + 5, jobId, scheduledAt, trigger, key, attempt: 1 };
}

const succeeded = (jobId: string, scheduledAt: number) => ({ jobId, scheduledAt, outcome: 'SUCCEEDED', error: null });

/**
 * least fires at 11..15 s, most at 12 and 14 s (checked until 15 s): each occurrence delivered
 * once and recorded SUCCEEDED, cursors at the last one. The server was killed twice.
 */
function soundRun(): CrashRunFacts {
  const occurrences: Array<[string, number]> = [
    ['least', 11_000],
    ['least', 12_000],
    ['least', 13_000],
    ['least', 14_000],
    ['least', 15_000],
    ['most', 12_000],
    ['most', 14_000],
  ];
  return {
    jobs: [least, most],
    requests: occurrences.map(([jobId, at]) => request(jobId, at)),
    malformedLines: [],
    database: {
      jobs: [
        { id: 'least', createdAt: 10_500, cursorAt: 15_000 },
        { id: 'most', createdAt: 10_500, cursorAt: 14_000 },
      ],
      skips: [],
      executions: occurrences.map(([jobId, at]) => succeeded(jobId, at)),
      integrity: 'ok',
    },
    checkUntil: 15_000,
    killedLives: [
      { healthyAt: 9_000, killedAt: 12_300 },
      { healthyAt: 13_900, killedAt: 14_100 },
    ],
    finalExitCode: 0,
  };
}

/** The run without any trace of these occurrences: neither their requests nor their execution rows. */
function withoutTrace(run: CrashRunFacts, jobId: string, ...instants: number[]): CrashRunFacts {
  const gone = (j: string, at: number) => j === jobId && instants.includes(at);
  return {
    ...run,
    requests: run.requests.filter((r) => !gone(r.jobId, r.scheduledAt)),
    database: { ...run.database, executions: run.database.executions.filter((e) => !gone(e.jobId, e.scheduledAt)) },
  };
}

const rules = (run: CrashRunFacts) => verifyCrashRun(run).violations.map((v) => v.rule);

describe('occurrencesOf', () => {
  it('lists the instants of the period strictly after creation, up to the end inclusive', () => {
    expect(occurrencesOf(least, 13_000)).toEqual([11_000, 12_000, 13_000]);
    expect(occurrencesOf({ ...most, createdAt: 12_000 }, 18_000)).toEqual([14_000, 16_000, 18_000]);
    expect(occurrencesOf(least, 10_900)).toEqual([]);
  });
});

describe('verifyCrashRun', () => {
  it('passes a run where every occurrence arrived once, and counts it', () => {
    const { counts, violations } = verifyCrashRun(soundRun());
    expect(violations).toEqual([]);
    expect(counts).toMatchObject({ kills: 2, jobs: 2, occurrences: 7, arrivals: 7, delivered: 7, resentOccurrences: 0, atMostOnceDuplicates: 0, pending: 0 });
  });

  it("owes occurrences from the job's creation in the database, not from when its 201 arrived", () => {
    const run = soundRun();
    const verdict = verifyCrashRun({ ...run, jobs: [{ ...least, createdAt: 11_200 }, most] });
    expect(verdict.violations).toEqual([]);
    expect(verdict.counts.occurrences).toBe(7);

    const lateRow = { ...run.database, jobs: [{ id: 'least', createdAt: 11_000, cursorAt: 15_000 }, run.database.jobs[1]!] };
    expect(verifyCrashRun({ ...run, database: lateRow }).violations.map((v) => v.message)).toEqual([
      'request for job least at 1970-01-01T00:00:11.000Z arrived 1970-01-01T00:00:11.005Z: its scheduled instant is not an occurrence of the job',
    ]);
  });

  it('allows and counts ATLEAST_ONCE re-sends after a crash', () => {
    const run = soundRun();
    const verdict = verifyCrashRun({ ...run, requests: [...run.requests, request('least', 13_000, 'CATCH_UP'), request('least', 13_000)] });
    expect(verdict.violations).toEqual([]);
    expect(verdict.counts).toMatchObject({ resentOccurrences: 1, resentRequests: 2, catchUps: 1, delivered: 7 });
  });

  it('reports an ATLEAST_ONCE occurrence that never arrived and that nothing explains', () => {
    const run = withoutTrace(soundRun(), 'least', 12_000);
    const failed = { jobId: 'least', scheduledAt: 12_000, outcome: 'FAILED', error: 'dispatch queue full' };
    const { violations } = verifyCrashRun({ ...run, database: { ...run.database, executions: [...run.database.executions, failed] } });
    expect(violations).toEqual([
      {
        rule: 'lost',
        message:
          'ATLEAST_ONCE job least occurrence 1970-01-01T00:00:12.000Z (12000): never arrived, in no Skip range, behind the final cursor 1970-01-01T00:00:15.000Z; FAILED (dispatch queue full)',
      },
    ]);
  });

  it('explains a missing occurrence by a Skip range of its job, not of another job', () => {
    const run = withoutTrace(soundRun(), 'least', 12_000, 13_000);
    const skips = [
      { jobId: 'least', fromAt: 12_000, toAt: 12_000, reason: 'MISFIRE' },
      { jobId: 'most', fromAt: 13_000, toAt: 13_000, reason: 'MISFIRE' },
    ];
    const verdict = verifyCrashRun({ ...run, database: { ...run.database, skips } });
    const about13 = 'ATLEAST_ONCE job least occurrence 1970-01-01T00:00:13.000Z (13000): ';
    expect(verdict.violations.map((v) => [v.rule, v.message.startsWith(about13)])).toEqual([
      ['unrecorded', true],
      ['lost', true],
    ]);
    expect(verdict.counts).toMatchObject({ skipped: 1, interruptedSkipped: 1 });
  });

  it('explains a missing occurrence after the final cursor as still owed', () => {
    const run = withoutTrace(soundRun(), 'least', 15_000);
    const verdict = verifyCrashRun({ ...run, database: { ...run.database, jobs: [{ id: 'least', createdAt: 10_500, cursorAt: 14_000 }, run.database.jobs[1]!] } });
    expect(verdict.violations).toEqual([]);
    expect(verdict.counts.pending).toBe(1);
  });

  it('reports an occurrence the cursor passed without a durable outcome, even if it arrived', () => {
    const run = soundRun();
    const executions = run.database.executions.filter((e) => !(e.jobId === 'most' && e.scheduledAt === 12_000));
    const { violations } = verifyCrashRun({ ...run, database: { ...run.database, executions } });
    expect(violations).toEqual([
      {
        rule: 'unrecorded',
        message:
          'ATMOST_ONCE job most occurrence 1970-01-01T00:00:12.000Z (12000): the final cursor 1970-01-01T00:00:14.000Z passed it, yet it has no execution row and no Skip range (1 arrivals)',
      },
    ]);
  });

  it('reports an ATMOST_ONCE occurrence that arrived twice', () => {
    const run = soundRun();
    const verdict = verifyCrashRun({ ...run, requests: [...run.requests, request('most', 12_000, 'CATCH_UP')] });
    expect(verdict.violations).toEqual([{ rule: 'duplicated', message: 'ATMOST_ONCE job most occurrence 1970-01-01T00:00:12.000Z (12000) arrived 2 times' }]);
    expect(verdict.counts.atMostOnceDuplicates).toBe(1);
  });

  it('accepts an ATMOST_ONCE occurrence recorded UNKNOWN, sent or not, and reports one with no trace', () => {
    const run = withoutTrace(soundRun(), 'most', 12_000, 14_000);
    const unknown = (scheduledAt: number) => ({ jobId: 'most', scheduledAt, outcome: 'UNKNOWN', error: 'outcome unknown' });
    const accounted = verifyCrashRun({
      ...run,
      requests: [...run.requests, request('most', 12_000)],
      database: { ...run.database, executions: [...run.database.executions, unknown(12_000), unknown(14_000)] },
    });
    expect(accounted.violations).toEqual([]);
    expect(accounted.counts).toMatchObject({ unknowns: 2, unknownsDelivered: 1 });

    const lost = verifyCrashRun({ ...run, database: { ...run.database, jobs: [run.database.jobs[0]!, { id: 'most', createdAt: 10_500, cursorAt: 12_000 }] } });
    const about12 = 'ATMOST_ONCE job most occurrence 1970-01-01T00:00:12.000Z (12000): ';
    expect(lost.violations.map((v) => [v.rule, v.message.startsWith(about12)])).toEqual([
      ['unrecorded', true],
      ['lost', true],
    ]);
    expect(lost.counts.pending).toBe(1);
  });

  it('reports jobs missing from the Job table, unknown to the test, or created twice', () => {
    const run = soundRun();
    const verdict = verifyCrashRun({
      ...run,
      jobs: [least, most, least],
      database: { ...run.database, jobs: [run.database.jobs[1]!, { id: 'ghost', createdAt: 0, cursorAt: 0 }] },
    });
    expect(verdict.violations.filter((v) => v.rule === 'jobs').map((v) => v.message)).toEqual([
      'job least was created twice',
      'job least was created but is not in the Job table',
      'job ghost is in the Job table but was never created',
    ]);
  });

  it('reports a failed integrity check', () => {
    const run = soundRun();
    const { violations } = verifyCrashRun({ ...run, database: { ...run.database, integrity: 'row 3 missing from index x' } });
    expect(violations).toEqual([{ rule: 'integrity', message: 'PRAGMA integrity_check: row 3 missing from index x' }]);
  });

  it('reports a final stop that did not exit 0', () => {
    expect(rules({ ...soundRun(), finalExitCode: 1 })).toEqual(['stop']);
    expect(verifyCrashRun({ ...soundRun(), finalExitCode: null }).violations[0]!.message).toBe('the server exited with code null on the final SIGTERM');
  });

  it('reports requests for unknown jobs, foreign instants, wrong keys and unreadable log lines', () => {
    const run = soundRun();
    const requests = [...run.requests, request('ghost', 12_000), request('most', 13_000), request('least', 16_000, 'SCHEDULE', 'least:15000')];
    const { violations } = verifyCrashRun({ ...run, requests, malformedLines: ['{"arrivedAt":'] });
    expect(violations.map((v) => [v.rule, v.message])).toEqual([
      ['request', 'unreadable target log line: {"arrivedAt":'],
      ['request', 'request for job ghost at 1970-01-01T00:00:12.000Z arrived 1970-01-01T00:00:12.005Z: no such job was created'],
      ['request', 'request for job most at 1970-01-01T00:00:13.000Z arrived 1970-01-01T00:00:13.005Z: its scheduled instant is not an occurrence of the job'],
      ['request', 'request for job least at 1970-01-01T00:00:16.000Z arrived 1970-01-01T00:00:16.005Z: its Idempotency-Key "least:15000" is not "<jobId>:<scheduledAtMs>"'],
    ]);
  });
});
