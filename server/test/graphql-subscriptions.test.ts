import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { connectSse, connectWebSocket, graphqlData, waitUntil, type LiveClient, type Recording } from './graphql-helpers.ts';
import { createTempDatabase, requestJson, startTarget, startTestApp, type Target } from './helpers.ts';

const EXECUTION_EVENTS = `subscription ($jobId: ID) {
  executionEvents(jobId: $jobId) { type jobId scheduledAt startedAt trigger attempt statusCode durationMs error }
}`;

interface ExecutionEvent {
  type: 'STARTED' | 'SUCCEEDED' | 'FAILED';
  jobId: string;
  scheduledAt: string;
  startedAt: string;
  trigger: string;
  attempt: number;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
}

async function createEverySecondJob(app: App, api: string): Promise<string> {
  const data = await graphqlData(app.url, `mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }`, {
    input: { schedule: '* * * * * *', api },
  });
  return data.createJob.id as string;
}

/** Waits for a STARTED of the job, then for the outcome of that same occurrence. */
async function startedThenOutcome(recording: Recording<ExecutionEvent>, jobId: string) {
  const started = await recording.waitFor((event) => event.jobId === jobId && event.type === 'STARTED');
  const outcome = await recording.waitFor(
    (event) => event.jobId === jobId && event.type !== 'STARTED' && event.scheduledAt === started.item.scheduledAt,
    { from: started.index + 1 },
  );
  return { started: started.item, outcome: outcome.item };
}

async function subscriberCount(app: App): Promise<number> {
  return (await graphqlData(app.url, '{ metrics { subscribers } }')).metrics.subscribers as number;
}

describe('GraphQL subscriptions', () => {
  const database = createTempDatabase();
  let app: App;
  let target: Target;
  let failingTarget: Target;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    [target, failingTarget] = await Promise.all([startTarget(), startTarget()]);
    failingTarget.respondWith(500);
    app = await startTestApp(database.url);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await app?.stop();
    await Promise.all([target?.close(), failingTarget?.close()]);
    database.remove();
  });

  it('delivers STARTED then SUCCEEDED to a graphql-ws client and to an SSE client', async () => {
    const jobId = await createEverySecondJob(app, `${target.url}/ok`);
    const ws = connectWebSocket(app.url);
    const sse = connectSse(app.url);
    clients.push(ws, sse);
    const overWs = ws.subscribe<ExecutionEvent>(EXECUTION_EVENTS, { jobId }, (data) => data.executionEvents);
    const overSse = sse.subscribe<ExecutionEvent>(EXECUTION_EVENTS, { jobId }, (data) => data.executionEvents);

    for (const recording of [overWs, overSse]) {
      const { started, outcome } = await startedThenOutcome(recording, jobId);
      expect(started).toMatchObject({ type: 'STARTED', jobId, trigger: 'SCHEDULE', attempt: 1, statusCode: null, durationMs: null, error: null });
      expect(outcome).toMatchObject({ type: 'SUCCEEDED', jobId, trigger: 'SCHEDULE', attempt: 1, statusCode: 200, error: null });
      expect(outcome.scheduledAt).toBe(started.scheduledAt);
      expect(outcome.startedAt).toBe(started.startedAt);
      expect(Date.parse(started.startedAt)).toBeGreaterThanOrEqual(Date.parse(started.scheduledAt));
      expect(new Date(Date.parse(started.scheduledAt)).toISOString()).toBe(started.scheduledAt);
      expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(await subscriberCount(app)).toBe(2);

    overWs.stop();
    overSse.stop();
    await waitUntil(async () => (await subscriberCount(app)) === 0);
  });

  it('reports FAILED when the target answers 500', async () => {
    const jobId = await createEverySecondJob(app, `${failingTarget.url}/fail`);
    const ws = connectWebSocket(app.url);
    clients.push(ws);
    const recording = ws.subscribe<ExecutionEvent>(EXECUTION_EVENTS, { jobId }, (data) => data.executionEvents);
    const { outcome } = await startedThenOutcome(recording, jobId);
    expect(outcome).toMatchObject({ type: 'FAILED', statusCode: 500 });
    recording.stop();
  });

  it('streams job events for changes made through REST', async () => {
    const ws = connectWebSocket(app.url);
    clients.push(ws);
    const recording = ws.subscribe<{ type: string; jobId: string; job: { api: string } | null }>(
      'subscription { jobEvents { type jobId job { api } } }',
      {},
      (data) => data.jobEvents,
    );
    await waitUntil(async () => (await subscriberCount(app)) === 1);
    const created = await requestJson(app.url, 'POST', '/jobs', { schedule: '0 0 1 1 *', api: `${target.url}/rest` });
    const jobId = created.body.jobId as string;
    const first = await recording.waitFor((event) => event.jobId === jobId);
    expect(first.item).toEqual({ type: 'CREATED', jobId, job: { api: `${target.url}/rest` } });
    await graphqlData(app.url, `mutation ($id: ID!) { deleteJob(id: $id) { id } }`, { id: jobId });
    const deleted = await recording.waitFor((event) => event.jobId === jobId && event.type === 'DELETED', { from: first.index + 1 });
    expect(deleted.item.job).toBeNull();
    recording.stop();
  });

  it('runs one source for many WebSocket subscribers of the same operation, each receiving every event', async () => {
    const jobId = await createEverySecondJob(app, `${target.url}/shared`);
    const sockets = [connectWebSocket(app.url), connectWebSocket(app.url), connectWebSocket(app.url)];
    clients.push(...sockets);
    const recordings = sockets.map((socket) => socket.subscribe<ExecutionEvent>(EXECUTION_EVENTS, { jobId }, (data) => data.executionEvents));
    await waitUntil(async () => (await subscriberCount(app)) === 3);
    expect((await graphqlData(app.url, '{ metrics { subscriptionSources } }')).metrics.subscriptionSources).toBe(1);
    const seen = await Promise.all(recordings.map((recording) => startedThenOutcome(recording, jobId)));
    const scheduled = seen[0]!.started.scheduledAt;
    for (const recording of recordings) {
      const outcome = await recording.waitFor((event) => event.type === 'SUCCEEDED' && event.scheduledAt === scheduled);
      expect(outcome.item).toMatchObject({ jobId, statusCode: 200 });
    }
    for (const recording of recordings) recording.stop();
    await waitUntil(async () => (await subscriberCount(app)) === 0);
    expect((await graphqlData(app.url, '{ metrics { subscriptionSources } }')).metrics.subscriptionSources).toBe(0);
  });

  it('delivers the same events in batches to an executionEventBatches subscriber', async () => {
    const jobId = await createEverySecondJob(app, `${target.url}/batches`);
    const ws = connectWebSocket(app.url);
    clients.push(ws);
    const batches = ws.subscribe<ExecutionEvent[]>(
      `subscription ($jobId: ID) { executionEventBatches(jobId: $jobId) { type jobId scheduledAt statusCode durationMs } }`,
      { jobId },
      (data) => data.executionEventBatches,
    );
    const first = await batches.waitFor((batch) => batch.some((event) => event.type === 'STARTED'));
    const started = first.item.find((event) => event.type === 'STARTED')!;
    const outcome = await batches.waitFor(
      (batch) => batch.some((event) => event.type === 'SUCCEEDED' && event.scheduledAt === started.scheduledAt),
      { from: first.index },
    );
    for (const batch of [first.item, outcome.item]) for (const event of batch) expect(event.jobId).toBe(jobId);
    batches.stop();
  });

  it('sends a large shared batch whole to each of its subscribers', async () => {
    const inputs = Array.from({ length: 300 }, () => ({ schedule: '* * * * * *', api: `${target.url}/large-batch` }));
    const created = await graphqlData(app.url, 'mutation ($inputs: [CreateJobInput!]!) { createJobs(inputs: $inputs) { id } }', { inputs });
    const ids = new Set<string>(created.createJobs.map((job: { id: string }) => job.id));
    const sockets = [connectWebSocket(app.url), connectWebSocket(app.url)];
    clients.push(...sockets);
    const query = 'subscription { executionEventBatches { type jobId scheduledAt statusCode durationMs } }';
    const recordings = sockets.map((socket) => socket.subscribe<ExecutionEvent[]>(query, {}, (data) => data.executionEventBatches));
    await waitUntil(async () => (await subscriberCount(app)) === 2);
    expect((await graphqlData(app.url, '{ metrics { subscriptionSources } }')).metrics.subscriptionSources).toBe(1);
    // A burst of 300 jobs makes batches of tens of kilobytes: sent as fragments of one message.
    const large = await recordings[0]!.waitFor((batch) => JSON.stringify(batch).length > 16 * 1024);
    const text = JSON.stringify(large.item);
    const same = await recordings[1]!.waitFor((batch) => JSON.stringify(batch) === text);
    expect(same.item).toEqual(large.item);
    expect(large.item.filter((event) => ids.has(event.jobId)).length).toBeGreaterThan(100);
    for (const recording of recordings) recording.stop();
    await Promise.all([...ids].map((id) => graphqlData(app.url, 'mutation ($id: ID!) { deleteJob(id: $id) { id } }', { id })));
  });

  it('refuses to follow an unknown job', async () => {
    const ws = connectWebSocket(app.url);
    clients.push(ws);
    const recording = ws.subscribe(EXECUTION_EVENTS, { jobId: '00000000-0000-4000-8000-000000000000' }, (data) => data);
    await expect(recording.waitFor(() => true)).rejects.toThrow(/NOT_FOUND/);
  });
});
