import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphql, graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, waitFor, type Target } from './helpers.ts';

interface Fire {
  jobId: string;
  scheduledAt: string;
  trigger: string;
  attempt: number;
}

const AUDIT = `query ($jobId: ID!, $from: DateTime!, $to: DateTime!) {
  occurrenceAudit(jobId: $jobId, from: $from, to: $to) { expected accounted unaccounted occurrences { scheduledAt outcome reason } }
}`;
const BACKFILL = `mutation ($id: ID!, $from: DateTime!, $to: DateTime!, $dryRun: Boolean) {
  backfillJob(id: $id, from: $from, to: $to, dryRun: $dryRun) { jobId dryRun count truncated occurrences }
}`;

const iso = (ms: number) => new Date(ms).toISOString();
const fireOf = (request: { body: unknown }) => request.body as Fire;

describe('backfill of the occurrences skipped while a job was paused', { timeout: 60_000 }, () => {
  const database = createTempDatabase();
  let app: App;
  let target: Target;
  let jobId: string;
  let createdAt: number;
  let resumedAt: number;
  let owed: number[];
  let pausedCount: number;

  beforeAll(async () => {
    target = await startTarget();
    app = await startTestApp(database.url, { BACKFILL_RATE_PER_SECOND: 20, AUDIT_INTERVAL_MS: 200 });
    const { createJob } = await graphqlData(app.url, `mutation ($input: CreateJobInput!) { createJob(input: $input) { id createdAt } }`, {
      input: { schedule: '* * * * * *', api: `${target.url}/backfill` },
    });
    jobId = createJob.id;
    createdAt = Date.parse(createJob.createdAt);
    await target.waitFor((r) => fireOf(r).jobId === jobId, 15_000);
    await graphqlData(app.url, `mutation ($id: ID!) { pauseJob(id: $id) { status } }`, { id: jobId });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await graphqlData(app.url, `mutation ($id: ID!) { resumeJob(id: $id) { status } }`, { id: jobId });
    resumedAt = Date.now();
    // The pause is on record once its skip range is written.
    const audit = await waitFor(
      () => graphqlData(app.url, AUDIT, { jobId, from: iso(createdAt), to: iso(resumedAt) }),
      (data) => data.occurrenceAudit.occurrences.some((o: { reason: string | null }) => o.reason === 'PAUSED'),
      15_000,
    );
    // Skipped on purpose: the pause's, and a first fire the engine may have reached a second late (a misfire).
    const skipped: Array<{ scheduledAt: string; outcome: string; reason: string }> = audit.occurrenceAudit.occurrences.filter(
      (o: { outcome: string }) => o.outcome === 'SKIPPED',
    );
    pausedCount = skipped.filter((o) => o.reason === 'PAUSED').length;
    owed = skipped.map((o) => Date.parse(o.scheduledAt));
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await target?.close();
    database.remove();
  });

  it('lists the skipped occurrences in a dry run (the default) and sends nothing', async () => {
    expect(pausedCount).toBeGreaterThanOrEqual(2);
    const { backfillJob } = await graphqlData(app.url, `mutation ($id: ID!, $from: DateTime!, $to: DateTime!) {
      backfillJob(id: $id, from: $from, to: $to) { jobId dryRun count truncated occurrences }
    }`, { id: jobId, from: iso(createdAt), to: iso(resumedAt) });
    expect(backfillJob).toEqual({ jobId, dryRun: true, count: owed.length, truncated: false, occurrences: owed.map(iso) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(target.received.filter((r) => fireOf(r).trigger === 'BACKFILL')).toHaveLength(0);
  });

  it('sends each of them as itself (trigger BACKFILL, its own idempotency key), after which the audit shows them run', async () => {
    const { backfillJob } = await graphqlData(app.url, BACKFILL, { id: jobId, from: iso(createdAt), to: iso(resumedAt), dryRun: false });
    expect(backfillJob).toMatchObject({ dryRun: false, count: owed.length, occurrences: owed.map(iso) });

    for (const at of owed) {
      const request = await target.waitFor((r) => fireOf(r).trigger === 'BACKFILL' && Date.parse(fireOf(r).scheduledAt) === at, 20_000);
      expect(fireOf(request)).toMatchObject({ jobId, attempt: 1 });
      expect(request.headers['idempotency-key']).toBe(`${jobId}:${at}`);
    }
    const backfilled = target.received.filter((r) => fireOf(r).trigger === 'BACKFILL').map((r) => Date.parse(fireOf(r).scheduledAt));
    expect(backfilled).toEqual(owed);

    const audit = await waitFor(
      () => graphqlData(app.url, AUDIT, { jobId, from: iso(owed[0]!), to: iso(owed.at(-1)!) }),
      (data) => data.occurrenceAudit.occurrences.every((o: { outcome: string }) => o.outcome === 'SUCCEEDED'),
      10_000,
    );
    const outcomes = new Map(audit.occurrenceAudit.occurrences.map((o: { scheduledAt: string; outcome: string }) => [Date.parse(o.scheduledAt), o.outcome]));
    expect(owed.map((at) => outcomes.get(at))).toEqual(owed.map(() => 'SUCCEEDED'));
    expect(audit.occurrenceAudit).toMatchObject({ accounted: audit.occurrenceAudit.expected, unaccounted: 0 });
    const again = await graphqlData(app.url, BACKFILL, { id: jobId, from: iso(createdAt), to: iso(resumedAt), dryRun: true });
    expect(again.backfillJob).toMatchObject({ count: 0, occurrences: [] });
  });

  it('leaves the schedule and its cursor alone: the job keeps firing on time after a backfill', async () => {
    const after = Date.now();
    const next = await target.waitFor((r) => fireOf(r).jobId === jobId && fireOf(r).trigger === 'SCHEDULE' && Date.parse(fireOf(r).scheduledAt) > after, 15_000);
    const at = Date.parse(fireOf(next).scheduledAt);
    const audit = await waitFor(
      () => graphqlData(app.url, AUDIT, { jobId, from: iso(resumedAt), to: iso(at) }),
      (data) => data.occurrenceAudit.occurrences.every((o: { outcome: string }) => o.outcome !== 'PENDING'),
      10_000,
    );
    expect(audit.occurrenceAudit.unaccounted).toBe(0);
    // Run on schedule (a fire the engine reached more than a second late would be a misfire instead).
    const occurrences: Array<{ scheduledAt: string; outcome: string; reason: string | null }> = audit.occurrenceAudit.occurrences;
    expect(occurrences.find((o) => Date.parse(o.scheduledAt) === at)?.outcome).toBe('SUCCEEDED');
    expect(occurrences.every((o) => o.outcome === 'SUCCEEDED' || (o.outcome === 'SKIPPED' && o.reason === 'MISFIRE'))).toBe(true);
    // Nor did the pause or the backfill leave anything unaccounted for the self-audit.
    const { body } = await requestJson(app.url, 'GET', '/metrics');
    const metrics = await waitFor(() => requestJson(app.url, 'GET', '/metrics'), (r) => r.body.audit.rounds >= body.audit.rounds + 2, 20_000);
    expect(metrics.body.audit.unaccountedOccurrences).toBe(0);
  });

  it('refuses a window in the future, an empty window and an unknown job', async () => {
    const now = Date.now();
    const future = await graphql(app.url, BACKFILL, { id: jobId, from: iso(now + 60_000), to: iso(now + 120_000), dryRun: true });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'from' });
    expect(future.errors?.[0]?.message).toContain('is in the future');
    const empty = await graphql(app.url, BACKFILL, { id: jobId, from: iso(now - 1_000), to: iso(now - 2_000), dryRun: true });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'to' });
    const unknown = await graphql(app.url, BACKFILL, { id: 'no-such-job', from: iso(now - 2_000), to: iso(now - 1_000), dryRun: true });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
