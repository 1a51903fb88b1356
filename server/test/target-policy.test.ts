import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphql } from './graphql-helpers.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, type Target } from './helpers.ts';

// Addresses such as 169.254.169.254 and 10.0.0.1 appear only in URLs that must be refused before
// any connection; every request these tests let through goes to the target on 127.0.0.1.
let target: Target;
const database = createTempDatabase();

beforeAll(async () => {
  target = await startTarget();
});

afterAll(async () => {
  await target.close();
  database.remove();
});

const CREATE = 'mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }';

describe('TARGET_POLICY=default at create and update time', () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp(database.url, { TARGET_POLICY: 'default' });
  });
  afterAll(() => app.stop());

  it('refuses a cloud metadata address with a VALIDATION error naming the field', async () => {
    const rest = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: 'http://169.254.169.254/latest/meta-data/' });
    expect(rest).toEqual({
      status: 400,
      body: { error: '"api" host 169.254.169.254 resolves to 169.254.169.254, a cloud metadata address, which TARGET_POLICY=default refuses' },
    });
    const viaGraphql = await graphql(app.url, CREATE, { input: { schedule: '0 0 0 1 1 *', api: `${target.url}/ok`, alertWebhook: 'http://[fd00:ec2::254]/alert' } });
    expect(viaGraphql.errors?.[0]).toMatchObject({
      message: expect.stringContaining('resolves to fd00:ec2::254, a cloud metadata address, which TARGET_POLICY=default refuses'),
      extensions: { code: 'VALIDATION', field: 'alertWebhook' },
    });
    const mapped = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: 'http://[::ffff:169.254.169.254]/' });
    expect(mapped.status).toBe(400);
    expect((await requestJson(app.url, 'GET', '/jobs')).body).toEqual([]);
  });

  it('checks what an update changes, and names the input of a batch', async () => {
    const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${target.url}/ok` });
    expect(created.status).toBe(201);
    const updated = await requestJson(app.url, 'PUT', `/jobs/${created.body.jobId}`, { api: 'http://169.254.170.2/v2/credentials' });
    expect(updated.status).toBe(400);
    expect((await requestJson(app.url, 'GET', `/jobs/${created.body.jobId}`)).body.api).toBe(`${target.url}/ok`);

    const batch = await graphql(app.url, 'mutation ($inputs: [CreateJobInput!]!) { createJobs(inputs: $inputs) { id } }', {
      inputs: [
        { schedule: '0 0 0 1 1 *', api: `${target.url}/a` },
        { schedule: '0 0 0 1 1 *', api: 'http://169.254.169.254/' },
      ],
    });
    expect(batch.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^inputs\[1\]: "api" host 169\.254\.169\.254 resolves to/), extensions: { field: 'inputs[1].api' } });

    // Equal inputs are checked once; the field named is still the first refused one in input order.
    const ok = { schedule: '0 0 0 1 1 *', api: `${target.url}/a` };
    const metadata = 'http://169.254.169.254/';
    const repeated = await graphql(app.url, 'mutation ($inputs: [CreateJobInput!]!) { createJobs(inputs: $inputs) { id } }', {
      inputs: [ok, ok, { ...ok, alertWebhook: metadata }, { ...ok, api: metadata }, ok, { ...ok, alertWebhook: metadata }],
    });
    expect(repeated.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^inputs\[2\]: "alertWebhook" host 169\.254\.169\.254/), extensions: { field: 'inputs[2].alertWebhook' } });
    expect((await requestJson(app.url, 'GET', '/jobs')).body).toHaveLength(1);
  });

  it('allows loopback targets, by address and by name', async () => {
    expect((await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${target.url}/x` })).status).toBe(201);
    expect((await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${target.url.replace('127.0.0.1', 'localhost')}/x` })).status).toBe(201);
  });
});

describe('TARGET_POLICY=public-only', () => {
  it('refuses private and loopback targets at creation, after resolving names', async () => {
    const other = createTempDatabase();
    const app = await startTestApp(other.url, { TARGET_POLICY: 'public-only' });
    try {
      const privateTarget = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: 'http://10.0.0.1/hook' });
      expect(privateTarget.body.error).toBe('"api" host 10.0.0.1 resolves to 10.0.0.1, a private address, which TARGET_POLICY=public-only refuses');
      const byName = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${target.url.replace('127.0.0.1', 'localhost')}/hook` });
      expect(byName.body.error).toMatch(/^"api" host localhost resolves to (127\.0\.0\.1|::1), a loopback address, which TARGET_POLICY=public-only refuses$/);
    } finally {
      await app.stop();
      other.remove();
    }
  });

  it('refuses at fire time a target that the policy refuses now: a failed execution, nothing sent', async () => {
    const allowing = await startTestApp(database.url, { TARGET_POLICY: 'default' });
    const byAddress = await requestJson(allowing.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${target.url}/by-address`, maxAttempts: 1 });
    const byName = await requestJson(allowing.url, 'POST', '/jobs', {
      schedule: '0 0 0 1 1 *',
      api: `${target.url.replace('127.0.0.1', 'localhost')}/by-name`,
      maxAttempts: 1,
      alertWebhook: `${target.url.replace('127.0.0.1', 'localhost')}/alert`,
    });
    await allowing.stop();

    const app = await startTestApp(database.url, { TARGET_POLICY: 'public-only' });
    try {
      const sentBefore = target.received.length;
      const addressFailed = app.events.once('execution:finished', (record) => record.jobId === byAddress.body.jobId);
      await app.jobs.triggerJob(byAddress.body.jobId);
      expect(await addressFailed).toMatchObject({
        success: false,
        statusCode: null,
        error: 'not sent: the target is 127.0.0.1, a loopback address, which TARGET_POLICY=public-only refuses',
      });

      const nameFailed = app.events.once('execution:finished', (record) => record.jobId === byName.body.jobId);
      const alert = app.events.once('alert:delivered', (record) => record.jobId === byName.body.jobId);
      await app.jobs.triggerJob(byName.body.jobId);
      expect((await nameFailed).error).toMatch(/^not sent: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
      expect(await alert).toMatchObject({ success: false, statusCode: null, error: expect.stringMatching(/not sent: localhost resolves to/) });
      expect(target.received.length).toBe(sentBefore);
    } finally {
      await app.stop();
    }
  });
});
