import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphqlData, JOB_FIELDS } from './graphql-helpers.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, type Target } from './helpers.ts';

describe('GraphQL jobs, alongside REST', () => {
  const database = createTempDatabase();
  let app: App;
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
    app = await startTestApp(database.url);
  });

  afterAll(async () => {
    await app?.stop();
    await target?.close();
    database.remove();
  });

  it('shows a job created through REST', async () => {
    // Daily: no fire can land between the create and the read and change the figures.
    const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 12 * * *', api: `${target.url}/from-rest`, type: 'ATMOST_ONCE' });
    expect(created.status).toBe(201);
    const { job } = await graphqlData(app.url, `query ($id: ID!) { job(id: $id) { ${JOB_FIELDS} nextFireTimes(count: 3) stats { total successRate p95DurationMs } } }`, {
      id: created.body.jobId,
    });
    expect(job).toMatchObject({
      id: created.body.jobId,
      schedule: '0 0 12 * * *',
      timezone: 'UTC',
      api: `${target.url}/from-rest`,
      type: 'ATMOST_ONCE',
      alertWebhook: null,
      status: 'ACTIVE',
      description: 'At 12:00',
      nextFireAt: created.body.nextExecutionTime,
      stats: { total: 0, successRate: null, p95DurationMs: null },
    });
    expect(job.nextFireTimes).toHaveLength(3);
    expect(Date.parse(job.nextFireTimes[1]) - Date.parse(job.nextFireTimes[0])).toBe(86_400_000);
  });

  it('shows a job created through GraphQL in REST, and its changes', async () => {
    const { createJob } = await graphqlData(app.url, `mutation ($input: CreateJobInput!) { createJob(input: $input) { ${JOB_FIELDS} } }`, {
      input: { schedule: '0 0 * * *', api: `${target.url}/from-graphql`, alertWebhook: `${target.url}/alerts`, timeoutMs: 5_000 },
    });
    expect(createJob).toMatchObject({ type: 'ATLEAST_ONCE', timezone: 'UTC', timeoutMs: 5_000, status: 'ACTIVE' });
    const fromRest = await requestJson(app.url, 'GET', `/jobs/${createJob.id}`);
    expect(fromRest).toEqual({
      status: 200,
      body: {
        jobId: createJob.id,
        schedule: '0 0 * * *',
        api: `${target.url}/from-graphql`,
        type: 'ATLEAST_ONCE',
        nextExecutionTime: createJob.nextFireAt,
        alertWebhook: `${target.url}/alerts`,
      },
    });

    const { updateJob } = await graphqlData(app.url, `mutation ($id: ID!) { updateJob(id: $id, input: { alertWebhook: null }) { alertWebhook } }`, {
      id: createJob.id,
    });
    expect(updateJob.alertWebhook).toBeNull();
    const { pauseJob } = await graphqlData(app.url, `mutation ($id: ID!) { pauseJob(id: $id) { status nextFireAt nextFireTimes } }`, { id: createJob.id });
    expect(pauseJob).toEqual({ status: 'PAUSED', nextFireAt: null, nextFireTimes: [] });
    const { resumeJob } = await graphqlData(app.url, `mutation ($id: ID!) { resumeJob(id: $id) { status } }`, { id: createJob.id });
    expect(resumeJob.status).toBe('ACTIVE');
    expect((await requestJson(app.url, 'GET', `/jobs/${createJob.id}`)).body.alertWebhook).toBeNull();

    const { deleteJob } = await graphqlData(app.url, `mutation ($id: ID!) { deleteJob(id: $id) { id } }`, { id: createJob.id });
    expect(deleteJob.id).toBe(createJob.id);
    expect((await requestJson(app.url, 'GET', `/jobs/${createJob.id}`)).status).toBe(404);
    expect((await graphqlData(app.url, `query ($id: ID!) { job(id: $id) { id } }`, { id: createJob.id })).job).toBeNull();
  });

  it('triggers a job once now and counts it in the stats', async () => {
    const { createJob } = await graphqlData(app.url, `mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }`, {
      input: { schedule: '0 0 1 1 *', api: `${target.url}/manual` },
    });
    const finished = app.events.once('execution:finished', (record) => record.jobId === createJob.id);
    const { triggerJob } = await graphqlData(app.url, `mutation ($id: ID!) { triggerJob(id: $id) { scheduledAt job { id } } }`, { id: createJob.id });
    expect(triggerJob.job.id).toBe(createJob.id);
    await finished;
    // The record is written with the next batch: read until it is there.
    const query = async () =>
      (
        await graphqlData(
          app.url,
          `query ($id: ID!) {
        job(id: $id) {
          stats { total successes failures successRate meanDurationMs p95DurationMs lastSuccess lastExecutionAt }
          executions { edges { node { jobId scheduledAt trigger outcome success statusCode attempt lagMs job { id } } } pageInfo { hasNextPage } }
        }
      }`,
          { id: createJob.id },
        )
      ).job;
    let job = await query();
    for (const deadline = Date.now() + 5_000; job.stats.total === 0 && Date.now() < deadline; job = await query()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job.stats).toMatchObject({ total: 1, successes: 1, failures: 0, successRate: 1, lastSuccess: true });
    expect(job.stats.p95DurationMs).toBeGreaterThan(0);
    expect(job.executions.edges).toHaveLength(1);
    expect(job.executions.edges[0].node).toMatchObject({
      jobId: createJob.id,
      scheduledAt: triggerJob.scheduledAt,
      trigger: 'MANUAL',
      outcome: 'SUCCEEDED',
      statusCode: 200,
      attempt: 1,
      job: { id: createJob.id },
    });
  });

  it('lists jobs in pages with filters and a total', async () => {
    const first = await graphqlData(app.url, `{ jobs(first: 1) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.jobs.totalCount).toBe(2);
    expect(first.jobs.pageInfo.hasNextPage).toBe(true);
    const rest = await graphqlData(app.url, `query ($after: String) { jobs(after: $after) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } }`, {
      after: first.jobs.pageInfo.endCursor,
    });
    expect(rest.jobs.edges).toHaveLength(1);
    expect(rest.jobs.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    const searched = await graphqlData(app.url, `{ jobs(search: "from-rest", status: ACTIVE) { totalCount edges { node { api } } } }`);
    expect(searched.jobs).toEqual({ totalCount: 1, edges: [{ node: { api: `${target.url}/from-rest` } }] });
  });

  it('previews schedules and reports health and metrics', async () => {
    const data = await graphqlData(
      app.url,
      `{
        valid: schedulePreview(expression: "0 9 * * MON-FRI", timezone: "Europe/Berlin", count: 2) { valid error description nextFireTimes }
        invalid: schedulePreview(expression: "61 * * * *") { valid error description nextFireTimes }
        health { status activeJobs uptimeSeconds timestamp }
        metrics { totalExecutions successCount failureCount jobs activeJobs subscribers droppedEvents }
      }`,
    );
    expect(data.valid).toMatchObject({ valid: true, error: null, description: 'At 09:00, Monday through Friday' });
    expect(data.valid.nextFireTimes).toHaveLength(2);
    expect(data.invalid).toMatchObject({ valid: false, description: null, nextFireTimes: [] });
    expect(data.invalid.error).toMatch(/^schedule "61 \* \* \* \*" is not a valid cron expression/);
    expect(data.health).toMatchObject({ status: 'OK', activeJobs: 2 });
    expect(data.metrics).toMatchObject({ failureCount: 0, jobs: 2, activeJobs: 2, subscribers: 0, droppedEvents: 0 });
    expect(data.metrics.successCount).toBeGreaterThanOrEqual(1);
    expect(data.metrics.totalExecutions).toBe(data.metrics.successCount);
    const rest = await requestJson(app.url, 'GET', '/metrics');
    expect(rest.body.subscriptions).toEqual({ subscribers: 0, droppedEvents: 0, sharedSources: 0 });
  });

  it('serves GraphiQL to a browser, self-contained (no script from another host)', async () => {
    const response = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('GraphiQL');
    expect(page).not.toMatch(/<script[^>]+src="https?:/);
    expect(page).not.toMatch(/<link[^>]+href="https?:/);
  });

  it('applies changes of one job one at a time: a change of its URL racing a change of its schedule keeps both', async () => {
    const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/racing-a` });
    const jobId: string = created.body.jobId;
    await target.waitFor((r) => (r.body as { jobId: string }).jobId === jobId, 5_000);
    const UPDATE = `mutation ($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) { id } }`;
    await Promise.all([
      graphqlData(app.url, UPDATE, { id: jobId, input: { schedule: '0 0 0 1 1 *' } }),
      graphqlData(app.url, UPDATE, { id: jobId, input: { api: `${target.url}/racing-b` } }),
    ]);
    const changedAt = Date.now();
    const { job } = await graphqlData(app.url, `query ($id: ID!) { job(id: $id) { schedule api nextFireAt } }`, { id: jobId });
    const newYear = Date.UTC(new Date().getUTCFullYear() + 1, 0, 1);
    expect(job).toEqual({ schedule: '0 0 0 1 1 *', api: `${target.url}/racing-b`, nextFireAt: new Date(newYear).toISOString() });
    // The every-second schedule is gone from the engine too.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const later = target.received.filter((r) => (r.body as { jobId: string }).jobId === jobId && r.at > changedAt + 50);
    expect(later).toEqual([]);
  });
});
