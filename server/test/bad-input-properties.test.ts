import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphql } from './graphql-helpers.ts';
import { requestJson, useTestApp } from './helpers.ts';

const server = useTestApp();

const cronish = fc.oneof(
  fc.string(),
  fc.array(fc.constantFrom('*', '*/5', '1-5', '0', '59', '61', 'MON-FRI', 'L', '#', '?', ',', '/', '-', 'JAN', '1#2', 'W'), { minLength: 0, maxLength: 8 }).map((parts) => parts.join(' ')),
);
const urlish = fc.oneof(fc.string(), fc.webUrl(), fc.constantFrom('ftp://127.0.0.1/x', 'http://', 'javascript:alert(1)', '//127.0.0.1', 'http://127.0.0.1:99999/'));
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const jobBody = fc.record(
  { schedule: fc.oneof(cronish, anyValue), api: fc.oneof(urlish, anyValue), type: fc.oneof(fc.constantFrom('ATLEAST_ONCE', 'ATMOST_ONCE', 'NEVER'), anyValue), timezone: fc.oneof(fc.constantFrom('UTC', 'Europe/Berlin', 'Mars/Base'), anyValue), timeoutMs: anyValue, maxAttempts: anyValue },
  { requiredKeys: [] },
);

/** A 2xx with a job, or a 400 that says what is wrong: never a 500, never a crash. */
function expectClearAnswer(response: { status: number; body: any }) {
  if (response.status === 201 || response.status === 200) return;
  expect(response.status).toBe(400);
  expect(typeof response.body.error).toBe('string');
  expect(response.body.error.length).toBeGreaterThan(5);
}

describe('bad input at scale', () => {
  it('REST POST /jobs answers every random body with a job or a clear 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(jobBody, anyValue), async (body) => {
        expectClearAnswer(await requestJson(server.app.url, 'POST', '/jobs', body));
      }),
      { numRuns: 150 },
    );
  });

  it('REST POST /jobs answers raw random text (malformed JSON) with a clear 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const response = await fetch(`${server.app.url}/jobs`, { method: 'POST', body: text });
        const answer = { status: response.status, body: await response.json() };
        expectClearAnswer(answer);
      }),
      { numRuns: 100 },
    );
  });

  it('GraphQL createJob answers every random input with a job or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(jobBody, async (input) => {
        const result = await graphql(server.app.url, 'mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }', { input });
        if (result.data?.createJob) return;
        expect(result.errors?.length).toBeGreaterThan(0);
        for (const error of result.errors ?? []) expect(error.message).not.toBe('Unexpected error.');
      }),
      { numRuns: 150 },
    );
  });

  it('still serves after all of it', async () => {
    expect((await requestJson(server.app.url, 'GET', '/health')).status).toBe(200);
  });
});
