import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { createTempDatabase, requestJson, startTestApp } from './helpers.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const WRONG_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** What a receiver does with a Standard Webhooks request: the check the README shows. */
function verifyWebhook(secret: string, headers: IncomingHttpHeaders, body: string, toleranceSeconds = 300): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

/** A receiver on 127.0.0.1 that answers 200 to requests signed with `secret` and 401 to the rest. */
async function startReceiver(secret: string) {
  const deliveries: Delivery[] = [];
  const waiters: Array<(delivery: Delivery) => void> = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const delivery = { headers: request.headers, body, verified: verifyWebhook(secret, request.headers, body) };
      deliveries.push(delivery);
      for (const waiter of waiters.splice(0)) waiter(delivery);
      response.writeHead(delivery.verified ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    next: (): Promise<Delivery> => new Promise((resolve) => waiters.push(resolve)),
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let app: App;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let wrongReceiver: Awaited<ReturnType<typeof startReceiver>>;
const database = createTempDatabase();

beforeAll(async () => {
  [receiver, wrongReceiver] = await Promise.all([startReceiver(SECRET), startReceiver(WRONG_SECRET)]);
  app = await startTestApp(database.url, { SIGNING_SECRET: SECRET });
});

afterAll(async () => {
  await app.stop();
  await Promise.all([receiver.close(), wrongReceiver.close()]);
  database.remove();
});

describe('signed job calls and alerts (SIGNING_SECRET)', () => {
  it('signs every job call with Standard Webhooks headers, the idempotency key as webhook-id', async () => {
    const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${receiver.url}/hook` });
    const delivered = receiver.next();
    const succeeded = app.events.once('execution:finished', (record) => record.jobId === created.body.jobId);
    const { scheduledAt } = await app.jobs.triggerJob(created.body.jobId);
    const delivery = await delivered;
    expect(delivery.verified).toBe(true);
    expect(delivery.headers['webhook-id']).toBe(`${created.body.jobId}:${scheduledAt}`);
    expect(delivery.headers['webhook-id']).toBe(delivery.headers['idempotency-key']);
    expect(Number(delivery.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
    expect(() => new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>)).not.toThrow();
    expect((await succeeded).statusCode).toBe(200);
  });

  it('is refused by a receiver holding another secret; the failure alert is signed too', async () => {
    const created = await requestJson(app.url, 'POST', '/jobs', {
      schedule: '0 0 0 1 1 *',
      api: `${wrongReceiver.url}/hook`,
      maxAttempts: 1,
      alertWebhook: `${receiver.url}/alerts`,
    });
    const refused = wrongReceiver.next();
    const alerted = receiver.next();
    const finished = app.events.once('execution:finished', (record) => record.jobId === created.body.jobId);
    await app.jobs.triggerJob(created.body.jobId);
    const call = await refused;
    expect(call.verified).toBe(false);
    expect(() => new Webhook(WRONG_SECRET).verify(call.body, call.headers as Record<string, string>)).toThrow();
    expect((await finished).statusCode).toBe(401);

    const alert = await alerted;
    expect(alert.verified).toBe(true);
    expect(JSON.parse(alert.body)).toMatchObject({ event: 'JOB_FAILED', jobId: created.body.jobId, statusCode: 401 });
    expect(alert.headers['webhook-id']).toMatch(new RegExp(`^${created.body.jobId}:\\d+:JOB_FAILED$`));
  });

  it('leaves calls unsigned without a secret', async () => {
    const other = createTempDatabase();
    const unsigned = await startTestApp(other.url);
    const created = await requestJson(unsigned.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${receiver.url}/plain` });
    const delivered = receiver.next();
    await unsigned.jobs.triggerJob(created.body.jobId);
    const delivery = await delivered;
    await unsigned.stop();
    other.remove();
    expect(delivery.headers['webhook-signature']).toBeUndefined();
    expect(delivery.verified).toBe(false);
  });
});
