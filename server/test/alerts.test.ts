import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, startTarget, startTestApp, waitFor, type ReceivedRequest, type Target } from './helpers.ts';

interface AlertBody {
  event: string;
  jobId: string;
  scheduledAt: string;
  details: Record<string, unknown>;
}

/** A job target on 127.0.0.1 answering each request (counted from 1) with the status the test decides, after `delayMs`. */
async function startStatusTarget(status: (count: number) => number, delayMs = 0): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const answer = status(++count);
      setTimeout(() => response.writeHead(answer).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startWebhook(): Promise<Target> {
  const webhook = await startTarget();
  cleanups.push(webhook.close);
  return webhook;
}

function alertsOf(webhook: Target, jobId: string): AlertBody[] {
  return webhook.received.map((request: ReceivedRequest) => request.body as AlertBody).filter((body) => body.jobId === jobId);
}

async function waitForAlert(webhook: Target, jobId: string, event: string, timeoutMs = 10_000): Promise<AlertBody> {
  const request = await webhook.waitFor((r) => (r.body as AlertBody).jobId === jobId && (r.body as AlertBody).event === event, timeoutMs);
  return request.body as AlertBody;
}

async function createJob(app: App, input: Record<string, unknown>): Promise<string> {
  const data = await graphqlData(app.url, 'mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }', { input: { schedule: '* * * * * *', maxAttempts: 1, ...input } });
  return data.createJob.id;
}

const JOB_ALERTS = `query ($id: ID!) { job(id: $id) { status pauseReason consecutiveFailures alerts(first: 50) { id event url sentAt statusCode success error } } }`;

describe('state alerts, delivered to a webhook on 127.0.0.1', () => {
  it('a target failing three times then recovering raises JOB_FAILING once and JOB_RECOVERED, each delivery recorded with its event', async () => {
    const webhook = await startWebhook();
    const target = await startStatusTarget((count) => (count <= 3 ? 500 : 200));
    cleanups.push(target.close);
    const database = createTempDatabase();
    cleanups.push(database.remove);
    const app = await startTestApp(database.url, { WRITE_FLUSH_MS: 20 });
    cleanups.push(() => app.stop());
    const id = await createJob(app, { api: `${target.url}/hook`, alertWebhook: `${webhook.url}/alerts`, failingThreshold: 2 });
    const recovered = await waitForAlert(webhook, id, 'JOB_RECOVERED');
    expect(recovered.details).toEqual({ failuresBefore: 3, statusCode: 200 });
    // Alerts raised together (the second JOB_FAILED and JOB_FAILING) are delivered concurrently, in either order.
    const received = alertsOf(webhook, id).map((alert) => alert.event);
    expect(received.at(-1)).toBe('JOB_RECOVERED');
    expect(received.sort()).toEqual(['JOB_FAILED', 'JOB_FAILED', 'JOB_FAILED', 'JOB_FAILING', 'JOB_RECOVERED']);
    const failing = alertsOf(webhook, id).find((alert) => alert.event === 'JOB_FAILING')!;
    expect(failing).toMatchObject({ jobId: id, details: { consecutiveFailures: 2, failingThreshold: 2, error: 'HTTP 500' } });
    expect(Date.parse(failing.scheduledAt)).toBeGreaterThan(0);
    const job = await waitFor(
      () => graphqlData(app.url, JOB_ALERTS, { id }).then((data) => data.job),
      (found) => found.alerts.length === 5,
      5_000,
    );
    // The job's row and its alerts are two reads: the row may predate the batch that brought the
    // fifth alert. That batch (or an earlier one) holds the recovery's streak, so read it again now.
    const streak = await graphqlData(app.url, 'query ($id: ID!) { job(id: $id) { consecutiveFailures } }', { id });
    expect(streak.job.consecutiveFailures).toBe(0);
    const recorded = job.alerts.map((alert: { event: string }) => alert.event);
    expect(recorded[0]).toBe('JOB_RECOVERED');
    expect(recorded.sort()).toEqual(['JOB_FAILED', 'JOB_FAILED', 'JOB_FAILED', 'JOB_FAILING', 'JOB_RECOVERED']);
    expect(job.alerts[0]).toMatchObject({ url: `${webhook.url}/alerts`, statusCode: 200, success: true, error: null });
    const newestTwo = await graphqlData(app.url, 'query ($id: ID!) { job(id: $id) { alerts(first: 2) { event } } }', { id });
    expect(newestTwo.job.alerts).toEqual([{ event: 'JOB_RECOVERED' }, { event: 'JOB_FAILED' }]);
  });

  it('a target that keeps failing is paused after autoPauseAfter failures in a row: JOB_AUTO_PAUSED, with the reason stored', async () => {
    const webhook = await startWebhook();
    const target = await startStatusTarget(() => 503);
    cleanups.push(target.close);
    const database = createTempDatabase();
    cleanups.push(database.remove);
    const app = await startTestApp(database.url, { WRITE_FLUSH_MS: 20 });
    cleanups.push(() => app.stop());
    const id = await createJob(app, { api: `${target.url}/hook`, alertWebhook: `${webhook.url}/alerts`, failingThreshold: 2, autoPauseAfter: 3 });
    const paused = await waitForAlert(webhook, id, 'JOB_AUTO_PAUSED');
    const reason = 'auto-paused after 3 consecutive failures (last: HTTP 503)';
    expect(paused.details).toEqual({ reason, consecutiveFailures: 3, statusCode: 503, error: 'HTTP 503' });
    const job = await waitFor(
      () => graphqlData(app.url, JOB_ALERTS, { id }).then((data) => data.job),
      (found) => found.alerts.some((alert: { event: string }) => alert.event === 'JOB_AUTO_PAUSED'),
      5_000,
    );
    expect(job).toMatchObject({ status: 'PAUSED', pauseReason: reason });
    expect(job.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(alertsOf(webhook, id).filter((alert) => alert.event === 'JOB_FAILING')).toHaveLength(1);
  });

  it('a failure streak survives a restart, and downtime raises JOB_MISSED with the skipped range', async () => {
    const webhook = await startWebhook();
    const failing = await startStatusTarget(() => 500);
    cleanups.push(failing.close);
    const fine = await startStatusTarget(() => 200);
    cleanups.push(fine.close);
    const database = createTempDatabase();
    cleanups.push(database.remove);
    const first = await startTestApp(database.url, { WRITE_FLUSH_MS: 20 });
    let stopped = false;
    cleanups.push(() => (stopped ? undefined : first.stop()));
    const alertWebhook = `${webhook.url}/alerts`;
    // A sparse schedule (one fire a year): only manual runs fail this job.
    const sparse = await createJob(first, { schedule: '0 0 0 1 1 *', api: `${failing.url}/hook`, alertWebhook, failingThreshold: 3 });
    const everySecond = await createJob(first, { api: `${fine.url}/hook`, alertWebhook });
    const trigger = (app: App) => graphqlData(app.url, 'mutation ($id: ID!) { triggerJob(id: $id) { scheduledAt } }', { id: sparse });
    for (let run = 1; run <= 2; run++) {
      await trigger(first);
      await waitFor(() => Promise.resolve(alertsOf(webhook, sparse).length), (count) => count === run, 5_000);
    }
    await waitFor(() => Promise.resolve(fine.count()), (count) => count >= 1, 5_000);
    await first.stop();
    stopped = true;
    const db = new BetterSqlite3(database.path, { readonly: true });
    const stored = db.prepare('SELECT "consecutiveFailures" FROM "Job" WHERE "id" = ?').get(sparse);
    db.close();
    expect(stored).toEqual({ consecutiveFailures: 2 });
    expect(alertsOf(webhook, sparse).map((alert) => alert.event)).toEqual(['JOB_FAILED', 'JOB_FAILED']);
    // Down long enough for fires of the every-second job to be missed.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const second = await startTestApp(database.url, { WRITE_FLUSH_MS: 20 });
    cleanups.push(() => second.stop());
    const missed = await waitForAlert(webhook, everySecond, 'JOB_MISSED');
    expect(missed.details).toMatchObject({ reason: 'MISFIRE', from: missed.scheduledAt });
    expect(missed.details.count).toBeGreaterThanOrEqual(1);
    expect(Date.parse(missed.details.to as string)).toBeGreaterThanOrEqual(Date.parse(missed.scheduledAt));
    await trigger(second);
    const failingAlert = await waitForAlert(webhook, sparse, 'JOB_FAILING');
    expect(failingAlert.details).toMatchObject({ consecutiveFailures: 3, failingThreshold: 3 });
  });

  it('fires held behind a busy origin wait for a slot, are all sent, and raise JOB_LAGGING at most once a minute per job', async () => {
    const webhook = await startWebhook();
    const target = await startStatusTarget(() => 200, 600);
    cleanups.push(target.close);
    const database = createTempDatabase();
    cleanups.push(database.remove);
    const app = await startTestApp(database.url, { WRITE_FLUSH_MS: 20, MAX_IN_FLIGHT_PER_HOST: 1 });
    cleanups.push(() => app.stop());
    // Two jobs on one origin with one slot, due together every two seconds: the second waits ~600 ms.
    const common = { schedule: '*/2 * * * * *', alertWebhook: `${webhook.url}/alerts`, lagAlertMs: 200, timeoutMs: 5_000 };
    const ids = await Promise.all([createJob(app, { ...common, api: `${target.url}/a` }), createJob(app, { ...common, api: `${target.url}/b` })]);
    const lagging = (await webhook.waitFor((r) => (r.body as AlertBody).event === 'JOB_LAGGING', 10_000)).body as AlertBody;
    expect(ids).toContain(lagging.jobId);
    expect(lagging.details.lagAlertMs).toBe(200);
    expect(lagging.details.lagMs as number).toBeGreaterThan(200);
    await waitFor(() => Promise.resolve(target.count()), (count) => count >= 6, 15_000);
    for (const jobId of ids) expect(alertsOf(webhook, jobId).filter((alert) => alert.event === 'JOB_LAGGING').length).toBeLessThanOrEqual(1);
    const executions = await waitFor(
      () => graphqlData(app.url, 'query { executions(first: 100) { edges { node { success error } } } }'),
      (data) => data.executions.edges.length >= 6,
      5_000,
    );
    expect(executions.executions.edges.filter((edge: { node: { success: boolean } }) => !edge.node.success)).toEqual([]);
  });
});
