import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { connectWebSocket, graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, startTestApp, waitFor } from './helpers.ts';

/** A target on 127.0.0.1 whose answer to each request (counted from 1) the test decides. */
interface ScriptedTarget {
  url: string;
  /** The attempt numbers of the requests received, in order. */
  attempts: number[];
  close(): Promise<void>;
}

type Answer = { status: number; body?: string } | 'reset';

async function startScriptedTarget(answer: (count: number) => Answer): Promise<ScriptedTarget> {
  const attempts: number[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      attempts.push((JSON.parse(text) as { attempt: number }).attempt);
      const next = answer(attempts.length);
      if (next === 'reset') {
        request.socket.destroy();
        return;
      }
      response.writeHead(next.status, { 'content-type': 'text/plain' });
      response.end(next.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const JOB_STATE = `query ($id: ID!) { job(id: $id) { status pauseReason nextFireAt consecutiveFailures
  executions(first: 20) { edges { node { attempt success statusCode error responseSnippet } } } } }`;

interface JobState {
  status: string;
  pauseReason: string | null;
  nextFireAt: string | null;
  consecutiveFailures: number;
  executions: Array<{ attempt: number; success: boolean; statusCode: number | null; error: string | null; responseSnippet: string | null }>;
}

async function jobState(app: App, id: string): Promise<JobState> {
  const data = await graphqlData(app.url, JOB_STATE, { id });
  return { ...data.job, executions: data.job.executions.edges.map((edge: { node: unknown }) => edge.node) };
}

async function createJob(app: App, input: Record<string, unknown>): Promise<string> {
  const data = await graphqlData(app.url, 'mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }', {
    input: { schedule: '* * * * * *', ...input },
  });
  return data.createJob.id;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(overrides: Parameters<typeof startTestApp>[1] = {}): Promise<App> {
  const database = createTempDatabase();
  cleanups.push(database.remove);
  const app = await startTestApp(database.url, { WRITE_FLUSH_MS: 20, ...overrides });
  cleanups.push(() => app.stop());
  return app;
}

describe('considerate sending, against real targets', () => {
  it('a target answering 410 Gone pauses the job with its reason: database, engine and subscription agree, and nothing is retried', async () => {
    const target = await startScriptedTarget(() => ({ status: 410, body: 'this endpoint is gone' }));
    cleanups.push(target.close);
    const app = await start();
    const live = connectWebSocket(app.url);
    cleanups.push(() => live.close());
    const events = live.subscribe('subscription { jobEvents { type jobId job { status pauseReason } } }', {}, (data) => data.jobEvents);
    const id = await createJob(app, { api: `${target.url}/hook`, maxAttempts: 5 });
    const paused = await events.waitFor((event) => event.type === 'PAUSED' && event.jobId === id);
    expect(paused.item.job.status).toBe('PAUSED');
    expect(paused.item.job.pauseReason).toMatch(new RegExp(`^410 Gone from ${target.url.replace(/\./g, '\\.')} at \\d{4}-\\d\\d-\\d\\dT`));
    const state = await waitFor(() => jobState(app, id), (job) => job.executions.length > 0, 5_000);
    expect(state).toMatchObject({ status: 'PAUSED', pauseReason: paused.item.job.pauseReason, nextFireAt: null });
    expect(state.executions[0]).toMatchObject({ attempt: 1, success: false, statusCode: 410, error: 'HTTP 410', responseSnippet: 'this endpoint is gone' });
    expect(target.attempts.every((attempt) => attempt === 1)).toBe(true);
    const resumed = await graphqlData(app.url, 'mutation ($id: ID!) { resumeJob(id: $id) { status pauseReason } }', { id });
    expect(resumed.resumeJob).toEqual({ status: 'ACTIVE', pauseReason: null });
  });

  it('a 200 whose body misses successBodyPattern fails at once, keeps its snippet, and is not retried', async () => {
    const target = await startScriptedTarget(() => ({ status: 200, body: `{"state":"degraded","padding":"${'x'.repeat(5_000)}"}` }));
    cleanups.push(target.close);
    const app = await start();
    const id = await createJob(app, { api: `${target.url}/hook`, maxAttempts: 3, successBodyPattern: '"state":"ok"' });
    const state = await waitFor(() => jobState(app, id), (job) => job.executions.length >= 2, 8_000);
    for (const execution of state.executions) {
      expect(execution).toMatchObject({ attempt: 1, success: false, statusCode: 200, error: 'body did not match successBodyPattern' });
      expect(execution.responseSnippet).toHaveLength(1_024);
      expect(execution.responseSnippet).toMatch(/^\{"state":"degraded","padding":"x+$/);
    }
    expect(target.attempts.every((attempt) => attempt === 1)).toBe(true);
  });

  it('a 204 outside successCodes fails with the reason, and a matching body with a listed status succeeds', async () => {
    let body = 'busy';
    const target = await startScriptedTarget(() => ({ status: body === 'busy' ? 204 : 200, body }));
    cleanups.push(target.close);
    const app = await start();
    const id = await createJob(app, { api: `${target.url}/hook`, successCodes: '200-203', successBodyPattern: '^done$' });
    const failed = await waitFor(() => jobState(app, id), (job) => job.executions.length >= 1, 5_000);
    expect(failed.executions.at(-1)).toMatchObject({ success: false, statusCode: 204, error: 'status 204 is not in successCodes 200-203' });
    body = 'done';
    const succeeded = await waitFor(() => jobState(app, id), (job) => job.executions.some((execution) => execution.success), 5_000);
    expect(succeeded.executions.find((execution) => execution.success)).toMatchObject({ statusCode: 200, error: null, responseSnippet: 'done' });
  });

  it('a dead target opens its circuit: calls fail at once unsent, /metrics shows it, and a probe closes it once the target is back', async () => {
    let alive = false;
    const target = await startScriptedTarget(() => (alive ? { status: 200, body: 'ok' } : 'reset'));
    cleanups.push(target.close);
    const app = await start({ BREAKER_FAILURES: 2, BREAKER_COOLDOWN_MS: 1_500 });
    const id = await createJob(app, { api: `${target.url}/hook`, maxAttempts: 1 });
    const open = await waitFor(
      () => jobState(app, id),
      (job) => job.executions.some((execution) => execution.error?.startsWith('circuit open') ?? false),
      10_000,
    );
    const refused = open.executions.find((execution) => execution.error?.startsWith('circuit open'))!;
    expect(refused).toMatchObject({ success: false, statusCode: null, attempt: 1 });
    expect(refused.error).toMatch(new RegExp(`^circuit open for ${target.url.replace(/\./g, '\\.')} after 2 consecutive failures \\(last: connection reset\\); not sent`));
    const metrics = await fetch(`${app.url}/metrics`, { headers: { accept: 'text/plain' } }).then((response) => response.text());
    expect(metrics).toMatch(/^zeitgeber_open_circuits 1$/m);
    expect(metrics).toContain(`zeitgeber_circuit_open{origin="${target.url}"} 1`);
    alive = true;
    await waitFor(() => jobState(app, id), (job) => job.executions.some((execution) => execution.success), 10_000);
    const closed = await fetch(`${app.url}/metrics`, { headers: { accept: 'text/plain' } }).then((response) => response.text());
    expect(closed).toMatch(/^zeitgeber_open_circuits 0$/m);
    expect(closed).toMatch(/^zeitgeber_circuits_opened_total [1-9]/m);
  });
});
