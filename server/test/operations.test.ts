import { Writable } from 'node:stream';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, type Target } from './helpers.ts';

type LogLine = Record<string, any>;

/** A pino logger whose JSON lines the test reads back, or awaits. */
function capturedLogger(level = 'debug') {
  const lines: LogLine[] = [];
  const waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text.trim() === '') continue;
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        for (const waiter of waiters.filter(({ match }) => match(line))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
      done();
    },
  });
  const waitFor = (match: (line: LogLine) => boolean): Promise<LogLine> =>
    new Promise((resolve) => {
      const found = lines.find(match);
      if (found) resolve(found);
      else waiters.push({ match, resolve });
    });
  return { logger: pino({ level }, stream), lines, waitFor };
}

let app: App;
let target: Target;
const database = createTempDatabase();
const captured = capturedLogger();

beforeAll(async () => {
  target = await startTarget();
  target.respondWith(500);
  app = await startTestApp(database.url, {}, { logger: captured.logger });
});

afterAll(async () => {
  await app.stop();
  await target.close();
  database.remove();
});

describe('logs', () => {
  it('names the request id (given or made) on the request line, and echoes it', async () => {
    const response = await fetch(`${app.url}/jobs`, { headers: { 'x-request-id': 'req-7f3a' } });
    expect(response.headers.get('x-request-id')).toBe('req-7f3a');
    await response.text();
    const line = await captured.waitFor((entry) => entry.requestId === 'req-7f3a');
    expect(line).toMatchObject({ msg: 'request', method: 'GET', path: '/jobs', status: 200, durationMs: expect.any(Number) });

    const graphql = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ jobs(first: 1) { totalCount } }' }),
    });
    await graphql.text();
    const made = graphql.headers.get('x-request-id')!;
    expect(await captured.waitFor((entry) => entry.requestId === made)).toMatchObject({ path: '/graphql', status: 200 });
  });

  it('names the job and the scheduled instant on engine lines', async () => {
    const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${target.url}/fails`, maxAttempts: 1 });
    const failed = app.events.once('execution:finished', (record) => record.jobId === created.body.jobId);
    const { scheduledAt } = await app.jobs.triggerJob(created.body.jobId);
    await failed;
    expect(captured.lines.find((entry) => entry.jobId === created.body.jobId && entry.msg === 'execution failed')).toMatchObject({
      level: 40,
      scheduledAt: new Date(scheduledAt).toISOString(),
      statusCode: 500,
      attempt: 1,
    });
  });
});

describe('/metrics', () => {
  it('answers JSON by default, in the documented shape', async () => {
    const { status, body } = await requestJson(app.url, 'GET', '/metrics');
    expect(status).toBe(200);
    expect(body).toMatchObject({ totalExecutions: expect.any(Number), fireLagMs: expect.any(Object), subscriptions: { subscribers: expect.any(Number) } });
  });

  it('answers the Prometheus text format when a scraper asks for it', async () => {
    const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 0 1 1 *', api: `${target.url}/counted`, maxAttempts: 1 });
    const finished = app.events.once('execution:finished', (record) => record.jobId === created.body.jobId);
    const persisted = app.events.once('executions:persisted');
    await app.jobs.triggerJob(created.body.jobId);
    await Promise.all([finished, persisted]);
    const response = await fetch(`${app.url}/metrics`, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' },
    });
    expect(response.headers.get('content-type')).toContain('text/plain');
    const families = new Map(parsePrometheusTextFormat(await response.text()).map((family) => [family.name, family]));
    const expected = {
      zeitgeber_fires_total: 'COUNTER',
      zeitgeber_executions_total: 'COUNTER',
      zeitgeber_fire_lag_seconds: 'HISTOGRAM',
      zeitgeber_execution_duration_seconds: 'HISTOGRAM',
      zeitgeber_in_flight_calls: 'GAUGE',
      zeitgeber_write_queue_depth: 'GAUGE',
      zeitgeber_write_batch_seconds: 'HISTOGRAM',
      zeitgeber_subscribers: 'GAUGE',
      zeitgeber_dropped_events_total: 'COUNTER',
      zeitgeber_retention_deleted_total: 'COUNTER',
      zeitgeber_idle_collections_total: 'COUNTER',
      zeitgeber_api_deferred_total: 'COUNTER',
      zeitgeber_api_overdue_total: 'COUNTER',
      zeitgeber_process_cpu_seconds_total: 'COUNTER',
    };
    for (const [name, type] of Object.entries(expected)) expect(families.get(name)?.type, name).toBe(type);
    const failures = families.get('zeitgeber_executions_total')!.metrics.find((metric) => metric.labels?.outcome === 'FAILED');
    expect(Number(failures?.value)).toBeGreaterThanOrEqual(1);
    expect(Number(families.get('zeitgeber_write_batch_seconds')!.metrics[0]!.count)).toBeGreaterThanOrEqual(1);
  });
});

describe('start-up without a token', () => {
  it('warns loudly when it listens beyond loopback', async () => {
    const other = createTempDatabase();
    const { logger, lines } = capturedLogger('warn');
    const exposed = await startTestApp(other.url, { HOST: '0.0.0.0' }, { logger });
    await exposed.stop();
    other.remove();
    expect(lines.find((line) => line.level === 40 && /NO API TOKEN IS SET/.test(line.msg))?.msg).toContain('0.0.0.0');
    expect(captured.lines.some((line) => /NO API TOKEN/.test(line.msg ?? ''))).toBe(false);
  });
});
