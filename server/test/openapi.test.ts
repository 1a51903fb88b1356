import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, type Target } from './helpers.ts';

let app: App;
let target: Target;
let document: any;
const database = createTempDatabase();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

beforeAll(async () => {
  target = await startTarget();
  app = await startTestApp(database.url);
  document = (await requestJson(app.url, 'GET', '/openapi.json')).body;
  ajv.addSchema(document, 'openapi.json');
});

afterAll(async () => {
  await app.stop();
  await target.close();
  database.remove();
});

const pointer = (...parts: string[]): string => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Calls the route and checks the real answer against the document's schema for its status. */
async function check(method: string, path: string, template: string, body?: unknown): Promise<{ status: number; body: any }> {
  const answer = await requestJson(app.url, method, path, body);
  const responses = document.paths[template]?.[method.toLowerCase()]?.responses;
  expect(responses?.[String(answer.status)], `${method} ${template} documents ${answer.status}`).toBeDefined();
  const validate = ajv.getSchema(`openapi.json#/${pointer('paths', template, method.toLowerCase(), 'responses', String(answer.status), 'content', 'application/json', 'schema')}`)!;
  expect(validate(answer.body), `${method} ${path} ${answer.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  return answer;
}

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes every real answer of the REST routes', async () => {
    const created = await check('POST', '/jobs', '/jobs', { schedule: '0 0 0 1 1 *', api: `${target.url}/hook`, alertWebhook: `${target.url}/alert` });
    expect(created.status).toBe(201);
    const jobId = created.body.jobId as string;
    const finished = app.events.once('execution:finished', (record) => record.jobId === jobId);
    await app.jobs.triggerJob(jobId);
    await finished;
    // Until its batch is written: each pass waits for the next batch, listening before it reads.
    for (;;) {
      const written = app.events.once('executions:persisted');
      if ((await requestJson(app.url, 'GET', `/jobs/${jobId}/executions`)).body.length > 0) break;
      await written;
    }

    await check('GET', '/jobs', '/jobs');
    await check('GET', '/jobs/getAllJobs', '/jobs/getAllJobs');
    await check('GET', `/jobs/${jobId}`, '/jobs/{jobId}');
    expect((await check('GET', `/jobs/${jobId}/executions`, '/jobs/{jobId}/executions')).body).toHaveLength(1);
    await check('PUT', `/jobs/${jobId}`, '/jobs/{jobId}', { alertWebhook: null });
    await check('POST', `/jobs/${jobId}`, '/jobs/{jobId}', { timeoutMs: 5_000 });
    await check('GET', '/health', '/health');
    await check('GET', '/ready', '/ready');
    await check('GET', '/metrics', '/metrics');

    expect((await check('POST', '/jobs', '/jobs', { schedule: '61 * * * * *', api: `${target.url}/x` })).status).toBe(400);
    expect((await check('GET', '/jobs/nope', '/jobs/{jobId}')).status).toBe(404);
    expect((await check('GET', '/jobs/nope/executions', '/jobs/{jobId}/executions')).status).toBe(404);
    expect((await check('PUT', '/jobs/nope', '/jobs/{jobId}', { schedule: '* * * * * *' })).status).toBe(404);
  });

  it('lists every REST route the server answers', () => {
    expect(Object.keys(document.paths).sort()).toEqual(
      ['/health', '/jobs', '/jobs/getAllJobs', '/jobs/{jobId}', '/jobs/{jobId}/executions', '/metrics', '/openapi.json', '/ready'].sort(),
    );
  });
});
