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

describe('request bodies sent in chunks', () => {
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

  it('answers 400 once a body without a declared length grows past BODY_LIMIT_BYTES', async () => {
    const response = await postChunked(app.url, ['{"api": "', 'x'.repeat(800), 'x'.repeat(800), '"}']);
    expect(response).toEqual({ status: 400, body: { error: 'request body is larger than the limit of 1024 bytes' } });
  });
});
