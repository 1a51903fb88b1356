import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { createTempDatabase, startTestApp } from './helpers.ts';

/** POSTs `parts` to /jobs as a chunked body (no content-length), one write each. */
function postChunked(baseUrl: string, parts: string[]): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${baseUrl}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    request.on('error', reject);
    for (const part of parts) request.write(part);
    request.end();
  });
}

describe('request bodies', () => {
  const database = createTempDatabase();
  let app: App;

  beforeAll(async () => {
    app = await startTestApp(database.url, { BODY_LIMIT_BYTES: 1_024 });
  });

  afterAll(async () => {
    await app.stop();
    database.remove();
  });

  it('reads a body that arrives in several chunks', async () => {
    const body = JSON.stringify({ schedule: '0 5 * * * *', api: 'http://127.0.0.1:9/chunked' });
    const response = await postChunked(app.url, [body.slice(0, 10), body.slice(10, 30), body.slice(30)]);
    expect(response.status).toBe(201);
    expect(response.body.jobId).toEqual(expect.any(String));
  });

  it('answers GraphQL bodies that are not a JSON object as Yoga does', async () => {
    const post = (body: string) =>
      fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { errors?: Array<{ message: string }> },
      }));
    const invalid = await post('{"query":');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.message).toBe('POST body sent invalid JSON.');
    const primitive = await post('42');
    expect(primitive.status).toBe(400);
    expect(primitive.body.errors?.[0]?.message).toBe('POST body is expected to be object but received number');
    expect(await post(JSON.stringify({ query: '{ health { status } }' }))).toEqual({ status: 200, body: { data: { health: { status: 'OK' } } } });
  });

  it('answers 400 once a body without a declared length grows past BODY_LIMIT_BYTES', async () => {
    const response = await postChunked(app.url, ['{"api": "', 'x'.repeat(800), 'x'.repeat(800), '"}']);
    expect(response).toEqual({ status: 400, body: { error: 'request body is larger than the limit of 1024 bytes' } });
  });
});
