import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, waitFor, type Target } from './helpers.ts';

let app: App;
let target: Target;
let failingTarget: Target;
let alerts: Target;
const database = createTempDatabase();

beforeAll(async () => {
  [target, failingTarget, alerts] = await Promise.all([startTarget(), startTarget(), startTarget()]);
  failingTarget.respondWith(500);
  // The failing target is failed by every attempt here: its circuit stays closed so each failure shows its status.
  app = await startTestApp(database.url, { BREAKER_FAILURES: 0 });
});

afterAll(async () => {
  await app.stop();
  await Promise.all([target.close(), failingTarget.close(), alerts.close()]);
  database.remove();
});

const rest = (method: string, path: string, body?: unknown) => requestJson(app.url, method, path, body);


describe('REST API on the real clock', () => {
  it('creates a job that fires every second and records its executions, newest first', async () => {
    const created = await rest('POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/hook`, type: 'ATLEAST_ONCE' });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['jobId', 'nextExecutionTime']);
    expect(Date.parse(created.body.nextExecutionTime) % 1_000).toBe(0);

    const executions = await waitFor(
      () => rest('GET', `/jobs/${created.body.jobId}/executions`),
      (response) => response.body.filter((e: { success: boolean }) => e.success).length >= 2,
      4_000,
    );
    expect(executions.status).toBe(200);
    expect(executions.body.filter((e: { success: boolean }) => e.success).length).toBeGreaterThanOrEqual(2);
    const [newest, older] = executions.body;
    expect(Object.keys(newest).sort()).toEqual(['durationMs', 'executionTime', 'jobId', 'statusCode', 'success']);
    expect(newest).toMatchObject({ jobId: created.body.jobId, statusCode: 200, success: true });
    expect(Date.parse(newest.executionTime)).toBeGreaterThan(Date.parse(older.executionTime));

    const request = await target.waitFor((r) => (r.body as { jobId?: string }).jobId === created.body.jobId);
    expect(request.path).toBe('/hook');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe(`${created.body.jobId}:${Date.parse((request.body as { scheduledAt: string }).scheduledAt)}`);
  });

  it('keeps only the latest five executions in the documented list', async () => {
    const created = await rest('POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${target.url}/five` });
    const persisted = new Promise<void>((resolve) => {
      let count = 0;
      const off = app.events.on('execution:finished', (record) => {
        if (record.jobId === created.body.jobId && ++count === 7) {
          off();
          resolve();
        }
      });
    });
    for (let i = 0; i < 7; i++) await app.jobs.triggerJob(created.body.jobId);
    await persisted;
    const executions = await waitFor(
      () => rest('GET', `/jobs/${created.body.jobId}/executions`),
      (response) => response.body.length === 5,
      2_000,
    );
    expect(executions.body).toHaveLength(5);
    const times = executions.body.map((e: { executionTime: string }) => Date.parse(e.executionTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('re-pointed at a failing target, records failures and alerts the webhook with JOB_FAILED', async () => {
    const created = await rest('POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/ok`, alertWebhook: `${alerts.url}/alert` });
    const updated = await rest('PUT', `/jobs/${created.body.jobId}`, { api: `${failingTarget.url}/broken` });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({
      message: 'Job updated successfully',
      job: {
        jobId: created.body.jobId,
        schedule: '* * * * * *',
        api: `${failingTarget.url}/broken`,
        type: 'ATLEAST_ONCE',
        nextExecutionTime: expect.any(String),
        alertWebhook: `${alerts.url}/alert`,
      },
    });
    const alert = await alerts.waitFor((r) => (r.body as { jobId?: string }).jobId === created.body.jobId, 6_000);
    expect(alert.body).toMatchObject({
      event: 'JOB_FAILED',
      jobId: created.body.jobId,
      api: `${failingTarget.url}/broken`,
      statusCode: 500,
      error: 'HTTP 500',
      scheduledTime: expect.stringMatching(/\.000Z$/),
      executionTime: expect.any(String),
      durationMs: expect.any(Number),
    });
    const executions = await waitFor(
      () => rest('GET', `/jobs/${created.body.jobId}/executions`),
      (response) => response.body.some((e: { success: boolean }) => !e.success),
      4_000,
    );
    expect(executions.body.find((e: { success: boolean }) => !e.success)).toMatchObject({ statusCode: 500, success: false });
  });

  it('accepts POST /jobs/:id as an update too, and lists every job on both list paths', async () => {
    const created = await rest('POST', '/jobs', { schedule: '0 0 * * * *', api: `${target.url}/x` });
    const updated = await rest('POST', `/jobs/${created.body.jobId}`, { schedule: '0 30 * * * *', type: 'ATMOST_ONCE' });
    expect(updated.body.job).toMatchObject({ schedule: '0 30 * * * *', type: 'ATMOST_ONCE' });
    expect(new Date(updated.body.job.nextExecutionTime).getUTCMinutes()).toBe(30);
    for (const path of ['/jobs', '/jobs/getAllJobs']) {
      const list = await rest('GET', path);
      expect(list.status).toBe(200);
      expect(list.body.find((job: { jobId: string }) => job.jobId === created.body.jobId)).toMatchObject({ schedule: '0 30 * * * *' });
    }
  });

  it('answers health and metrics in the documented shapes', async () => {
    const health = await rest('GET', '/health');
    expect(health.body).toEqual({ status: 'OK', uptimeSeconds: expect.any(Number), activeJobs: expect.any(Number), timestamp: expect.any(String) });
    expect(health.body.activeJobs).toBeGreaterThanOrEqual(1);
    const metrics = await rest('GET', '/metrics');
    expect(metrics.body).toMatchObject({ totalExecutions: expect.any(Number), successCount: expect.any(Number), failureCount: expect.any(Number) });
    expect(metrics.body.totalExecutions).toBe(metrics.body.successCount + metrics.body.failureCount);
  });
});

describe('GET /jobs with many jobs', () => {
  const database = createTempDatabase();
  let listing: App;

  beforeAll(async () => {
    listing = await startTestApp(database.url);
  });

  afterAll(async () => {
    await listing.stop();
    database.remove();
  });

  it('answers an empty list, then every job in creation order, past the chunks it is written in', async () => {
    expect((await requestJson(listing.url, 'GET', '/jobs')).body).toEqual([]);
    const first = await requestJson(listing.url, 'POST', '/jobs', { schedule: '0 0 * * * *', api: 'http://127.0.0.1:9/first' });
    const inputs = Array.from({ length: 2_500 }, (_, i) => ({ schedule: `${i % 60} 0 * * * *`, api: `http://127.0.0.1:9/many/${i}` }));
    const created = await graphqlData(listing.url, 'mutation ($inputs: [CreateJobInput!]!) { createJobs(inputs: $inputs) { id } }', { inputs });
    const list = await requestJson(listing.url, 'GET', '/jobs');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2_501);
    expect(list.body[0]).toMatchObject({ jobId: first.body.jobId, api: 'http://127.0.0.1:9/first' });
    expect(list.body.slice(1).map((job: { jobId: string }) => job.jobId)).toEqual(created.createJobs.map((job: { id: string }) => job.id));
    expect(list.body[2_500]).toMatchObject({ schedule: '39 0 * * * *', api: 'http://127.0.0.1:9/many/2499' });
  });
});

describe('bad input', () => {
  const valid = () => ({ schedule: '*/5 * * * * *', api: `${target.url}/x` });

  it.each([
    ['a missing schedule', { api: 'http://127.0.0.1:9/x' }, '"schedule" is required'],
    ['a missing api', { schedule: '* * * * * *' }, '"api" is required'],
    ['an invalid cron', { schedule: '61 * * * * *', api: 'http://127.0.0.1:9/x' }, 'schedule "61 * * * * *" is not a valid cron expression'],
    ['a cron with too many fields', { schedule: '* * * * * * * *', api: 'http://127.0.0.1:9/x' }, 'has 8 fields'],
    ['a URL that is not http(s)', { schedule: '* * * * * *', api: 'ftp://127.0.0.1/x' }, '"api" must use http or https'],
    ['an unknown type', { schedule: '* * * * * *', api: 'http://127.0.0.1:9/x', type: 'SOMETIMES' }, '"type" must be one of ATLEAST_ONCE, ATMOST_ONCE'],
    ['malformed JSON', '{"schedule": ', 'request body is not valid JSON'],
    ['an empty body', '', 'request body is empty'],
    ['a body over the size limit', { schedule: '* * * * * *', api: `http://127.0.0.1:9/${'x'.repeat(70_000)}` }, 'request body is larger than the limit of 65536 bytes'],
  ])('POST /jobs with %s → 400 with the reason', async (_name, body, message) => {
    const response = await rest('POST', '/jobs', body);
    expect(response.status).toBe(400);
    expect(response.body.error).toContain(message);
  });

  it('PUT with an invalid value → 400 and the job is unchanged', async () => {
    const created = await rest('POST', '/jobs', valid());
    const response = await rest('PUT', `/jobs/${created.body.jobId}`, { schedule: 'every day' });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('schedule "every day" has 2 fields');
    expect((await rest('GET', `/jobs/${created.body.jobId}`)).body.schedule).toBe('*/5 * * * * *');
  });

  it.each([
    ['GET', '/jobs/00000000-0000-0000-0000-000000000000/executions'],
    ['PUT', '/jobs/00000000-0000-0000-0000-000000000000'],
    ['POST', '/jobs/not-a-job'],
    ['GET', '/jobs/%E0%A4%A'],
  ])('%s %s → 404 or 400, never 500', async (method, path) => {
    const response = await rest(method, path, method === 'GET' ? undefined : { schedule: '* * * * * *' });
    if (path.includes('%E0')) {
      expect(response).toEqual({ status: 400, body: { error: 'the path is not valid percent-encoding' } });
    } else {
      expect(response).toEqual({ status: 404, body: { error: 'Job not found' } });
    }
  });

  it('answers 404 for unknown paths and 405 with Allow for a wrong method, and keeps running', async () => {
    expect((await rest('GET', '/nope')).status).toBe(404);
    const response = await fetch(`${app.url}/health`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect((await rest('GET', '/health')).status).toBe(200);
  });
});
