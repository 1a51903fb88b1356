import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphql, graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, requestJson, startTestApp } from './helpers.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const CREATE = `mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) { id } }`;

describe('GraphQL errors', () => {
  const database = createTempDatabase();
  let app: App;
  let jobId: string;

  beforeAll(async () => {
    app = await startTestApp(database.url);
    jobId = (await graphqlData(app.url, CREATE, { input: { schedule: '0 0 1 1 *', api: 'http://127.0.0.1:9/never' } })).createJob.id;
  });

  afterAll(async () => {
    await app?.stop();
    database.remove();
  });

  /** The single error of an operation, checked to carry no data and no stack. */
  async function onlyError(query: string, variables: Record<string, unknown>) {
    const result = await graphql(app.url, query, variables);
    expect(result.errors).toHaveLength(1);
    expect(JSON.stringify(result.errors)).not.toMatch(/stack|\.ts:\d+/);
    return result.errors![0]!;
  }

  it.each([
    ['a bad cron expression', { schedule: '* * *', api: 'http://127.0.0.1:9/x' }, 'schedule'],
    ['an unknown timezone', { schedule: '* * * * *', api: 'http://127.0.0.1:9/x', timezone: 'Mars/Olympus' }, 'timezone'],
    ['a relative URL', { schedule: '* * * * *', api: '/relative' }, 'api'],
    ['a non-http URL', { schedule: '* * * * *', api: 'ftp://127.0.0.1/x' }, 'api'],
    ['a bad alert webhook', { schedule: '* * * * *', api: 'http://127.0.0.1:9/x', alertWebhook: 'nope' }, 'alertWebhook'],
    ['a null type', { schedule: '* * * * *', api: 'http://127.0.0.1:9/x', type: null }, 'type'],
    ['a timeout out of range', { schedule: '* * * * *', api: 'http://127.0.0.1:9/x', timeoutMs: 5 }, 'timeoutMs'],
    ['retries for an at-most-once job', { schedule: '* * * * *', api: 'http://127.0.0.1:9/x', type: 'ATMOST_ONCE', maxAttempts: 3 }, 'maxAttempts'],
    ['too many attempts', { schedule: '* * * * *', api: 'http://127.0.0.1:9/x', maxAttempts: 11 }, 'maxAttempts'],
  ])('createJob refuses %s with the REST message and field', async (_name, input, field) => {
    const error = await onlyError(CREATE, { input });
    expect(error.extensions).toEqual({ code: 'VALIDATION', field });
    expect(error.path).toEqual(['createJob']);
    const rest = await requestJson(app.url, 'POST', '/jobs', input);
    expect(rest).toEqual({ status: 400, body: { error: error.message } });
  });

  it.each([
    ['an empty update', {}, 'input'],
    ['a bad cron expression', { schedule: 'every minute' }, 'schedule'],
    ['a bad URL', { api: 'not a url' }, 'api'],
    ['a null type', { type: null }, 'type'],
    ['a timeout out of range', { timeoutMs: 10_000_000 }, 'timeoutMs'],
  ])('updateJob refuses %s with the REST message and field', async (_name, input, field) => {
    const error = await onlyError(UPDATE, { id: jobId, input });
    expect(error.extensions).toEqual({ code: 'VALIDATION', field });
    const rest = await requestJson(app.url, 'PUT', `/jobs/${jobId}`, input);
    expect(rest).toEqual({ status: 400, body: { error: error.message } });
  });

  it.each([
    ['updateJob', `mutation ($id: ID!) { updateJob(id: $id, input: { timeoutMs: 1000 }) { id } }`],
    ['pauseJob', `mutation ($id: ID!) { pauseJob(id: $id) { id } }`],
    ['resumeJob', `mutation ($id: ID!) { resumeJob(id: $id) { id } }`],
    ['triggerJob', `mutation ($id: ID!) { triggerJob(id: $id) { scheduledAt } }`],
    ['deleteJob', `mutation ($id: ID!) { deleteJob(id: $id) { id } }`],
  ])('%s answers NOT_FOUND for an unknown id', async (mutation, query) => {
    const error = await onlyError(query, { id: UNKNOWN_ID });
    expect(error).toMatchObject({ message: 'Job not found', path: [mutation], extensions: { code: 'NOT_FOUND' } });
  });

  it('refuses bad page arguments and cursors with the field', async () => {
    const tooMany = await onlyError(`{ executions(first: 100000) { edges { cursor } } }`, {});
    expect(tooMany.extensions).toEqual({ code: 'VALIDATION', field: 'first' });
    const badCursor = await onlyError(`query ($after: String) { jobs(after: $after) { totalCount } }`, { after: 'garbage' });
    expect(badCursor).toMatchObject({ message: '"after" is not a cursor returned by this API', extensions: { code: 'VALIDATION', field: 'after' } });
    const badCount = await onlyError(`{ schedulePreview(expression: "* * * * *", count: 0) { valid } }`, {});
    expect(badCount.extensions).toEqual({ code: 'VALIDATION', field: 'count' });
  });

  it('refuses an operation past GRAPHQL_MAX_COST before it runs, with the cost it would have had', async () => {
    const nested = '{ executions(first: 500) { edges { node { job { executions(first: 500) { edges { node { id } } } } } } } }';
    const error = await onlyError(nested, {});
    expect(error.extensions).toEqual({ code: 'VALIDATION' });
    expect(error.message).toMatch(/^the operation would cost 752001; at most 100000 is allowed \(GRAPHQL_MAX_COST/);
    const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: jobs(first: 500) { edges { node { id } } }`).join(' ');
    expect((await onlyError(`{ ${aliases} }`, {})).extensions).toEqual({ code: 'VALIDATION' });
    expect((await graphqlData(app.url, '{ jobs(first: 500) { edges { node { id executions(first: 20) { edges { node { id } } } } } } }', {})).jobs.edges.length).toBeGreaterThan(0);
  });

  it('refuses a malformed DateTime without masking it, with the VALIDATION code, as a variable or inline', async () => {
    const error = await onlyError(`query ($from: DateTime) { executions(from: $from) { edges { cursor } } }`, { from: 'yesterday' });
    expect(error.message).toContain('DateTime must be an ISO-8601 instant');
    expect(error.extensions).toEqual({ code: 'VALIDATION' });
    const inline = await onlyError(`{ executions(from: "2026-13-01T00:00:00Z") { edges { cursor } } }`, {});
    expect(inline.message).toContain('DateTime must be an ISO-8601 instant');
    expect(inline.extensions).toEqual({ code: 'VALIDATION' });
  });
});
