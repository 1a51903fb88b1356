import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, requestJson, startTestApp, waitFor } from './helpers.ts';

/**
 * A target on 127.0.0.1 that answers each call after its own delay, spread over 0–900 ms, and
 * fails one call in three with a 503: calls end, and retries go out, all through each second.
 */
async function startScatteredTarget(): Promise<{ url: string; answeredAt: number[]; attempts: number[]; close(): Promise<void> }> {
  const answeredAt: number[] = [];
  const attempts: number[] = [];
  let count = 0;
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const n = ++count;
      attempts.push((JSON.parse(text) as { attempt: number }).attempt);
      setTimeout(() => {
        answeredAt.push(performance.now());
        response.writeHead(n % 3 === 0 ? 503 : 200, { 'content-type': 'text/plain' });
        response.end('');
      }, (n * 131) % 900);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answeredAt,
    attempts,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const JOBS = 120;
const READS = 20;
const READ_GAP_MS = 50;

describe('the API between bursts, while calls end all through each second', () => {
  const database = createTempDatabase();
  let app: App;
  let target: Awaited<ReturnType<typeof startScatteredTarget>>;

  beforeAll(async () => {
    target = await startScatteredTarget();
    // The breaker off: one call in three fails, and an open circuit would stop the calls.
    app = await startTestApp(database.url, { BREAKER_FAILURES: 0 });
  });

  afterAll(async () => {
    await app.stop();
    await target.close();
    database.remove();
  });

  it('answers reads without holding them for the whole deferral', async () => {
    const inputs = Array.from({ length: JOBS }, (_, n) => ({ schedule: '* * * * * *', api: `${target.url}/job/${n}`, type: 'ATLEAST_ONCE', maxAttempts: 3 }));
    const created = await graphqlData(app.url, 'mutation ($inputs: [CreateJobInput!]!) { createJobs(inputs: $inputs) { id } }', { inputs });
    const id: string = created.createJobs[0].id;
    await waitFor(async () => target.attempts.filter((attempt) => attempt > 1).length, (retries) => retries >= 20, 15_000);

    const pacingBefore = (await requestJson(app.url, 'GET', '/metrics')).body.apiPacing;
    const windowStart = performance.now();
    for (let n = 0; n < READS; n++) {
      const read = await requestJson(app.url, 'GET', `/jobs/${id}`);
      expect(read.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, READ_GAP_MS));
    }
    const windowEnd = performance.now();
    const pacingAfter = (await requestJson(app.url, 'GET', '/metrics')).body.apiPacing;

    // The premise: calls ended in most of the window's 50 ms slots, not in bursts.
    const slots = new Set(target.answeredAt.filter((at) => at >= windowStart && at < windowEnd).map((at) => Math.floor((at - windowStart) / 50)));
    expect(slots.size).toBeGreaterThan((windowEnd - windowStart) / 50 / 2);
    // Reads wait only around each second's burst of fires, never the whole 500 ms.
    expect(pacingAfter.overdue - pacingBefore.overdue).toBe(0);
    expect(pacingAfter.deferred - pacingBefore.deferred).toBeLessThanOrEqual(READS / 2);
  });
});
