import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { App } from '../src/app.ts';
import { createTempDatabase, startTarget, startTestApp, type Target } from './helpers.ts';

const WRITE = 'write-token-aaaaaaaaaaaaaaaa';
const READ = 'read-token-bbbbbbbbbbbbbbbbbb';

let app: App;
let target: Target;
const database = createTempDatabase();

beforeAll(async () => {
  target = await startTarget();
  app = await startTestApp(database.url, { API_TOKEN: [WRITE, 'second-write-token-cccccccc'], API_READ_TOKEN: [READ], GRAPHQL_BODY_LIMIT_BYTES: 2_048 });
});

afterAll(async () => {
  await app.stop();
  await target.close();
  database.remove();
});

async function call(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}

const gql = (token: string | null, query: string, variables?: Record<string, unknown>) => call('POST', '/graphql', token, { query, variables });
const newJob = () => ({ schedule: '0 0 0 1 1 *', api: `${target.url}/hook` });

async function jobCount(): Promise<number> {
  return (await call('GET', '/jobs', WRITE)).body.length;
}

function wsClient(connectionParams: Record<string, unknown> | undefined): { client: Client; closed: Promise<number> } {
  let closedWith: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (closedWith = resolve));
  const client = createWsClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    // The refusal is what the test awaits, through `closed`.
    onNonLazyError: () => {},
    ...(connectionParams ? { connectionParams } : {}),
    on: { closed: (event) => closedWith((event as { code: number }).code) },
  });
  return { client, closed };
}

function queryOver(client: Client, query: string): Promise<{ data?: any; errors?: any[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: any; errors?: any[] } = {};
    client.subscribe({ query }, { next: (value) => (result = value as typeof result), error: reject, complete: () => resolve(result) });
  });
}

describe('REST with tokens', () => {
  it('refuses a missing or wrong token with 401 and a message, and changes nothing', async () => {
    const before = await jobCount();
    const missing = await call('POST', '/jobs', null, newJob());
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: 'this API needs a token: send the header "Authorization: Bearer <token>"' });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await call('POST', '/jobs', 'not-a-token-of-ours-000', newJob());
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toContain('not valid');
    expect((await call('GET', '/jobs', null)).status).toBe(401);
    expect(await jobCount()).toBe(before);
  });

  it('lets a read-only token read but answers 403 to its changes', async () => {
    const created = await call('POST', '/jobs', WRITE, newJob());
    expect(created.status).toBe(201);
    expect((await call('GET', `/jobs/${created.body.jobId}`, READ)).status).toBe(200);
    expect((await call('GET', `/jobs/${created.body.jobId}/executions`, READ)).status).toBe(200);
    const refused = await call('PUT', `/jobs/${created.body.jobId}`, READ, { schedule: '* * * * * *' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('can only read');
    expect((await call('POST', '/jobs', READ, newJob())).status).toBe(403);
    expect((await call('GET', `/jobs/${created.body.jobId}`, WRITE)).body.schedule).toBe('0 0 0 1 1 *');
  });

  it('keeps /health, /ready, /metrics and /openapi.json open', async () => {
    for (const path of ['/health', '/ready', '/metrics', '/openapi.json']) {
      expect((await call('GET', path, null)).status, path).toBe(200);
    }
  });

  it('echoes the request id, or makes one', async () => {
    const given = await call('GET', '/health', null, undefined, { 'x-request-id': 'trace-42' });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const made = await call('GET', '/jobs', null, undefined, { 'x-request-id': 'bad id with spaces' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GraphQL with tokens', () => {
  it('answers 401 over HTTP without a valid token, in both error shapes', async () => {
    const refused = await gql(null, '{ jobs(first: 1) { totalCount } }');
    expect(refused.status).toBe(401);
    expect(refused.body.error).toContain('needs a token');
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await gql('wrong-token-000000000000', '{ jobs(first: 1) { totalCount } }')).status).toBe(401);
  });

  it('serves the GraphiQL page without a token', async () => {
    const page = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });

  it('lets a read-only token query but not mutate (FORBIDDEN), and nothing happens', async () => {
    const before = await jobCount();
    expect((await gql(READ, '{ jobs(first: 1) { totalCount } }')).body.data.jobs.totalCount).toBe(before);
    const refused = await gql(READ, 'mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }', { input: newJob() });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(refused.body.data ?? null).toBeNull();
    expect(await jobCount()).toBe(before);
    const allowed = await gql(WRITE, 'mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }', { input: newJob() });
    expect(allowed.body.data.createJob.id).toEqual(expect.any(String));
  });

  it('refuses a body over GRAPHQL_BODY_LIMIT_BYTES with 413 before parsing it', async () => {
    const huge = await gql(WRITE, `{ jobs(first: 1) { totalCount } } # ${'x'.repeat(3_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.body.errors[0].message).toBe('request body is larger than the limit of 2048 bytes');
  });

  it('refuses operations deeper than GRAPHQL_MAX_DEPTH (12 by default)', async () => {
    // Each loop adds 4 levels: Job.executions.edges.node.job
    const nested = (loops: number): string => {
      let inner = 'id';
      for (let i = 0; i < loops; i++) inner = `executions(first: 1) { edges { node { job { ${inner} } } } }`;
      return `{ jobs(first: 1) { edges { node { ${inner} } } } }`;
    };
    expect((await gql(READ, nested(2))).body.errors).toBeUndefined();
    const refused = await gql(READ, nested(3));
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ message: 'the operation nests 16 levels deep; at most 12 are allowed (GRAPHQL_MAX_DEPTH)', extensions: { code: 'VALIDATION' } }),
    ]);
  });

  it('serves SSE subscriptions with the token in the header, and refuses them without', async () => {
    const query = 'subscription { executionEvents { type jobId } }';
    const subscribe = (token: string | null, until: (event: unknown) => boolean = () => false) => {
      const client = createSseClient({ url: `${app.url}/graphql`, retryAttempts: 0, headers: token ? { authorization: `Bearer ${token}` } : {} });
      const done = new Promise<unknown>((resolve) => {
        client.subscribe({ query }, { next: (value) => until(value) && resolve(value), error: resolve, complete: () => resolve(null) });
      });
      return { client, done };
    };
    const refused = subscribe(null);
    expect(String(await refused.done)).toContain('401');
    refused.client.dispose();

    // A job firing every second: its execution events reach the stream whenever it opens.
    const created = await call('POST', '/jobs', WRITE, { schedule: '* * * * * *', api: `${target.url}/sse` });
    const reader = subscribe(READ, (event) => JSON.stringify(event).includes(created.body.jobId));
    expect(JSON.stringify(await reader.done)).toContain(created.body.jobId);
    await gql(WRITE, 'mutation ($id: ID!) { deleteJob(id: $id) { id } }', { id: created.body.jobId });
    reader.client.dispose();
  });
});

describe('graphql-ws with tokens', () => {
  it('closes a connection without a valid token with 4401', async () => {
    const none = wsClient(undefined);
    expect(await none.closed).toBe(4401);
    await none.client.dispose();
    const wrong = wsClient({ token: 'wrong-token-0000000000000' });
    expect(await wrong.closed).toBe(4401);
    await wrong.client.dispose();
  });

  it('takes the token as { authorization } or { token } in connection_init', async () => {
    const byHeader = wsClient({ authorization: `Bearer ${READ}` });
    const read = await queryOver(byHeader.client, '{ jobs(first: 1) { totalCount } }');
    expect(read.data.jobs.totalCount).toBeGreaterThanOrEqual(0);
    const refused = await queryOver(byHeader.client, 'mutation { pauseJob(id: "nope") { id } }');
    expect(refused.errors?.[0].extensions.code).toBe('FORBIDDEN');
    await byHeader.client.dispose();

    const byToken = wsClient({ token: WRITE });
    const changed = await queryOver(byToken.client, 'mutation { pauseJob(id: "nope") { id } }');
    expect(changed.errors?.[0].extensions.code).toBe('NOT_FOUND');
    await byToken.client.dispose();
  });
});
