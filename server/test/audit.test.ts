import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphql, graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, waitFor, type Target } from './helpers.ts';

interface Fire {
  jobId: string;
  scheduledAt: string;
  trigger: string;
}

interface Audit {
  expected: number;
  accounted: number;
  unaccounted: number;
  truncated: boolean;
  occurrences: Array<{ scheduledAt: string; outcome: string; reason: string | null; attempts: number; statusCode: number | null }>;
}

const AUDIT = `query ($jobId: ID!, $from: DateTime!, $to: DateTime!) {
  occurrenceAudit(jobId: $jobId, from: $from, to: $to) {
    jobId from to expected accounted unaccounted truncated
    occurrences { scheduledAt outcome reason attempts statusCode }
  }
}`;

const CREATE = `mutation ($input: CreateJobInput!) { createJob(input: $input) { id createdAt } }`;

const iso = (ms: number) => new Date(ms).toISOString();

async function audit(app: App, jobId: string, from: number, to: number): Promise<Audit> {
  const data = await graphqlData<{ occurrenceAudit: Audit }>(app.url, AUDIT, { jobId, from: iso(from), to: iso(to) });
  return data.occurrenceAudit;
}

/** The audit of the window once nothing in it is pending any more. */
function settledAudit(app: App, jobId: string, from: number, to: number): Promise<Audit> {
  return waitFor(() => audit(app, jobId, from, to), (result) => result.occurrences.every((o) => o.outcome !== 'PENDING'), 20_000);
}

const fireOf = (request: { body: unknown }) => request.body as Fire;

/** Waits for two more complete self-audit rounds and returns what they found unaccounted. */
async function unaccountedAfterTwoRounds(app: App): Promise<number> {
  const { body } = await requestJson(app.url, 'GET', '/metrics');
  const done = await waitFor(() => requestJson(app.url, 'GET', '/metrics'), (r) => r.body.audit.rounds >= body.audit.rounds + 2, 20_000);
  return done.body.audit.unaccountedOccurrences;
}

describe('occurrence audit of a job firing every second', { timeout: 60_000 }, () => {
  const database = createTempDatabase();
  let app: App;
  let target: Target;
  let jobId: string;
  let createdAt: number;

  beforeAll(async () => {
    target = await startTarget();
    app = await startTestApp(database.url, { AUDIT_INTERVAL_MS: 200 });
    const { createJob } = await graphqlData(app.url, CREATE, { input: { schedule: '* * * * * *', api: `${target.url}/every-second` } });
    jobId = createJob.id;
    createdAt = Date.parse(createJob.createdAt);
  });

  afterAll(async () => {
    await app?.stop();
    await target?.close();
    database.remove();
  });

  it('accounts for every second: run once with its status (or, were the engine ever a second late, skipped as a misfire)', async () => {
    const scheduled = () => target.received.filter((r) => fireOf(r).jobId === jobId && fireOf(r).trigger === 'SCHEDULE').map((r) => Date.parse(fireOf(r).scheduledAt));
    const firstFour = await waitFor(async () => scheduled(), (fires) => fires.length >= 4, 20_000);
    const until = Math.max(...firstFour);
    const result = await settledAudit(app, jobId, createdAt - 60_000, until);

    const seconds = result.occurrences.map((o) => Date.parse(o.scheduledAt));
    expect(seconds[0]).toBe(Math.floor(createdAt / 1_000) * 1_000 + 1_000);
    expect(seconds.at(-1)).toBe(until);
    for (let i = 1; i < seconds.length; i++) expect(seconds[i]! - seconds[i - 1]!).toBe(1_000);
    const run = result.occurrences.filter((o) => o.outcome === 'SUCCEEDED');
    expect(run.length).toBeGreaterThanOrEqual(4);
    expect(run.every((o) => o.attempts === 1 && o.statusCode === 200)).toBe(true);
    expect(result.occurrences.every((o) => o.outcome === 'SUCCEEDED' || (o.outcome === 'SKIPPED' && o.reason === 'MISFIRE'))).toBe(true);
    expect(result).toMatchObject({ expected: seconds.length, accounted: seconds.length, unaccounted: 0, truncated: false });
    // Each one run reached the target, once.
    const received = target.received.filter((r) => fireOf(r).jobId === jobId).map((r) => Date.parse(fireOf(r).scheduledAt));
    for (const o of run) expect(received.filter((at) => at === Date.parse(o.scheduledAt))).toHaveLength(1);
  });

  it('keeps the unaccounted-occurrences metric at 0 while the run is healthy', async () => {
    const metrics = await waitFor(() => requestJson(app.url, 'GET', '/metrics'), (r) => r.body.audit.rounds >= 3, 20_000);
    expect(metrics.body.audit).toMatchObject({ unaccountedOccurrences: 0 });
    expect(metrics.body.audit.jobsAudited).toBeGreaterThanOrEqual(3);
    const text = await (await fetch(`${app.url}/metrics`, { headers: { accept: 'text/plain' } })).text();
    expect(text).toMatch(/^zeitgeber_unaccounted_occurrences 0$/m);
  });

  it('reports an occurrence whose record is gone as MISSING, in the audit and in the metric', async () => {
    const db = new BetterSqlite3(database.path);
    let removed: number;
    try {
      const rows = db.prepare('SELECT count(*) FROM "Execution" WHERE "jobId" = ?').pluck();
      await waitFor(async () => rows.get(jobId) as number, (count) => count >= 9, 20_000);
      // Well after the oldest record: what lies before the oldest kept one may have been pruned.
      const row = db.prepare('SELECT "id", "scheduledAt" FROM "Execution" WHERE "jobId" = ? ORDER BY "id" LIMIT 1 OFFSET 6').get(jobId) as { id: number; scheduledAt: number };
      db.prepare('DELETE FROM "Execution" WHERE "id" = ?').run(row.id);
      removed = row.scheduledAt;
    } finally {
      db.close();
    }
    const result = await settledAudit(app, jobId, removed - 1_000, removed + 1_000);
    expect(result.occurrences.map((o) => [Date.parse(o.scheduledAt) - removed, o.outcome])).toEqual([
      [-1_000, expect.not.stringMatching(/PENDING|MISSING/)],
      [0, 'MISSING'],
      [1_000, expect.not.stringMatching(/PENDING|MISSING/)],
    ]);
    expect(result).toMatchObject({ expected: 3, accounted: 2, unaccounted: 1 });
    const metrics = await waitFor(() => requestJson(app.url, 'GET', '/metrics'), (r) => r.body.audit.unaccountedOccurrences > 0, 20_000);
    expect(metrics.body.audit.unaccountedOccurrences).toBe(1);
    const text = await (await fetch(`${app.url}/metrics`, { headers: { accept: 'text/plain' } })).text();
    expect(text).toMatch(/^zeitgeber_unaccounted_occurrences 1$/m);
  });

  it('answers NOT_FOUND for an unknown job and VALIDATION for an empty window', async () => {
    const now = Date.now();
    const unknown = await graphql(app.url, AUDIT, { jobId: 'no-such-job', from: iso(now - 1_000), to: iso(now) });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const empty = await graphql(app.url, AUDIT, { jobId, from: iso(now), to: iso(now) });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'to' });
    expect(empty.errors?.[0]?.message).toContain('"to" must be after "from"');
  });
});

describe('occurrence audit after a restart with downtime', { timeout: 60_000 }, () => {
  const database = createTempDatabase();
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
  });

  afterAll(async () => {
    await target?.close();
    database.remove();
  });

  it('shows the seconds of the downtime as skipped (MISFIRE), the caught-up one as run, and nothing missing', async () => {
    const first = await startTestApp(database.url);
    const { createJob } = await graphqlData(first.url, CREATE, { input: { schedule: '* * * * * *', api: `${target.url}/restart` } });
    const jobId: string = createJob.id;
    const createdAt = Date.parse(createJob.createdAt);
    await first.events.once('executions:persisted');
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_300));

    const second = await startTestApp(database.url, { AUDIT_INTERVAL_MS: 200 });
    const restartedAt = Date.now();
    try {
      const catchUp = await target.waitFor((r) => fireOf(r).jobId === jobId && fireOf(r).trigger === 'CATCH_UP', 15_000);
      const caughtUpAt = Date.parse(fireOf(catchUp).scheduledAt);
      const next = await target.waitFor(
        (r) => fireOf(r).jobId === jobId && fireOf(r).trigger === 'SCHEDULE' && Date.parse(fireOf(r).scheduledAt) > restartedAt,
        15_000,
      );
      const until = Date.parse(fireOf(next).scheduledAt);
      const result = await settledAudit(second, jobId, createdAt, until);

      const byInstant = new Map(result.occurrences.map((o) => [Date.parse(o.scheduledAt), o]));
      expect(byInstant.get(caughtUpAt)).toMatchObject({ outcome: 'SUCCEEDED', attempts: 1 });
      const skipped = result.occurrences.filter((o) => o.outcome === 'SKIPPED');
      expect(skipped.filter((o) => Date.parse(o.scheduledAt) < caughtUpAt).length).toBeGreaterThanOrEqual(1);
      expect(skipped.every((o) => o.reason === 'MISFIRE')).toBe(true);
      expect(result.occurrences.every((o) => o.outcome === 'SUCCEEDED' || o.outcome === 'SKIPPED')).toBe(true);
      expect(result).toMatchObject({ unaccounted: 0, accounted: result.expected });
      const seconds = [...byInstant.keys()];
      for (let i = 1; i < seconds.length; i++) expect(seconds[i]! - seconds[i - 1]!).toBe(1_000);
      expect(await unaccountedAfterTwoRounds(second)).toBe(0);
    } finally {
      await second.stop();
    }
  });
});

/** A target that answers every call after `delayMs`. */
async function startSlowTarget(delayMs: number): Promise<{ url: string; calls: Fire[]; close: () => Promise<void> }> {
  const calls: Fire[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      calls.push(JSON.parse(text) as Fire);
      setTimeout(() => response.end('slow ok'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('occurrence audit after a burst of overlaps', { timeout: 60_000 }, () => {
  const database = createTempDatabase();
  let app: App;
  let slow: Awaited<ReturnType<typeof startSlowTarget>>;

  beforeAll(async () => {
    slow = await startSlowTarget(2_500);
    app = await startTestApp(database.url, { AUDIT_INTERVAL_MS: 200 });
  });

  afterAll(async () => {
    await app?.stop();
    await slow?.close();
    database.remove();
  });

  it('shows the occurrences due while the previous call was in flight as skipped (OVERLAP), and nothing missing', async () => {
    const { createJob } = await graphqlData(app.url, CREATE, {
      input: { schedule: '* * * * * *', api: `${slow.url}/slow`, overlapPolicy: 'SKIP', timeoutMs: 10_000, maxAttempts: 1 },
    });
    const jobId: string = createJob.id;
    const createdAt = Date.parse(createJob.createdAt);
    // Two calls answered: the seconds in between were due while one was in flight.
    const finished = await waitFor(
      () => graphqlData(app.url, `query ($id: ID!) { job(id: $id) { executions(first: 10) { edges { node { scheduledAt } } } } }`, { id: jobId }),
      (data) => data.job.executions.edges.length >= 2,
      15_000,
    );
    const until = Math.max(...finished.job.executions.edges.map((edge: { node: { scheduledAt: string } }) => Date.parse(edge.node.scheduledAt)));
    const result = await settledAudit(app, jobId, createdAt, until);

    const run = result.occurrences.filter((o) => o.outcome === 'SUCCEEDED');
    const skipped = result.occurrences.filter((o) => o.outcome === 'SKIPPED');
    expect(run.length).toBeGreaterThanOrEqual(2);
    expect(skipped.filter((o) => o.reason === 'OVERLAP').length).toBeGreaterThanOrEqual(1);
    // A fire the engine reached more than a second late would be a misfire instead; nothing else.
    expect(skipped.every((o) => o.reason === 'OVERLAP' || o.reason === 'MISFIRE')).toBe(true);
    expect(run.length + skipped.length).toBe(result.expected);
    expect(result).toMatchObject({ unaccounted: 0, accounted: result.expected });
    // The target saw exactly the calls that ran.
    const called = slow.calls.filter((call) => call.jobId === jobId && Date.parse(call.scheduledAt) <= until).map((call) => call.scheduledAt);
    expect(called).toEqual(run.map((o) => o.scheduledAt));
    expect(await unaccountedAfterTwoRounds(app)).toBe(0);
  });
});

describe('occurrence audit while a catch-up drains one call at a time', { timeout: 60_000 }, () => {
  const database = createTempDatabase();
  let slow: Awaited<ReturnType<typeof startSlowTarget>>;

  beforeAll(async () => {
    slow = await startSlowTarget(800);
  });

  afterAll(async () => {
    await slow?.close();
    database.remove();
  });

  it('shows the missed occurrences waiting their turn as pending, never missing, however old', async () => {
    const first = await startTestApp(database.url);
    const { createJob } = await graphqlData(first.url, CREATE, {
      input: { schedule: '* * * * * *', api: `${slow.url}/fire-all`, misfirePolicy: 'FIRE_ALL', timeoutMs: 1_000, maxAttempts: 1 },
    });
    const jobId: string = createJob.id;
    const createdAt = Date.parse(createJob.createdAt);
    await first.events.once('executions:persisted');
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_500));

    // No grace: an occurrence past the cursor older than one call's timeout is only pending when the engine vouches for it.
    const second = await startTestApp(database.url, { AUDIT_INTERVAL_MS: 100, AUDIT_GRACE_MS: 0 });
    const restartedAt = Date.now();
    try {
      const seen: string[] = [];
      const result = await waitFor(
        async () => {
          const current = await audit(second, jobId, createdAt, restartedAt);
          seen.push(...current.occurrences.map((o) => o.outcome));
          return current;
        },
        (current) => current.occurrences.every((o) => o.outcome !== 'PENDING'),
        20_000,
      );
      expect(seen).not.toContain('MISSING');
      expect(seen).toContain('PENDING');
      const caughtUp = slow.calls.filter((call) => call.jobId === jobId && call.trigger === 'CATCH_UP');
      expect(caughtUp.length).toBeGreaterThanOrEqual(3);
      expect(result).toMatchObject({ unaccounted: 0, accounted: result.expected });
      expect(await unaccountedAfterTwoRounds(second)).toBe(0);
    } finally {
      await second.stop();
    }
  });
});

describe('occurrence audit across a schedule change', { timeout: 60_000 }, () => {
  it('expects the new schedule\'s occurrences only from the change on, and accounts for each of them', async () => {
    const database = createTempDatabase();
    const target = await startTarget();
    const app = await startTestApp(database.url);
    try {
      const { createJob } = await graphqlData(app.url, CREATE, { input: { schedule: '0 0 0 1 1 *', api: `${target.url}/yearly` } });
      const jobId: string = createJob.id;
      const createdAt = Date.parse(createJob.createdAt);
      // Seconds pass under the yearly schedule: the every-second one was not the job's then.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const UPDATE = 'mutation ($id: ID!) { updateJob(id: $id, input: { schedule: "* * * * * *" }) { updatedAt } }';
      const changedAt = Date.parse((await graphqlData(app.url, UPDATE, { id: jobId })).updateJob.updatedAt);
      // Before the first fire of the new schedule, the cursor is still at the creation.
      const before = await audit(app, jobId, createdAt - 10_000, changedAt);
      expect(before).toMatchObject({ expected: 0, unaccounted: 0, occurrences: [] });
      const sent = () => target.received.filter((r) => fireOf(r).jobId === jobId).map((r) => Date.parse(fireOf(r).scheduledAt));
      const fired = await waitFor(async () => sent(), (fires) => fires.length >= 2, 20_000);
      const result = await settledAudit(app, jobId, createdAt - 10_000, Math.max(...fired));
      expect(result.occurrences.map((o) => [Date.parse(o.scheduledAt), o.outcome])).toEqual(fired.map((at) => [at, 'SUCCEEDED']));
      expect(result).toMatchObject({ unaccounted: 0, truncated: false });
    } finally {
      await app.stop();
      await target.close();
      database.remove();
    }
  });
});
