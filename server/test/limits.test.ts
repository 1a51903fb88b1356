import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { createTempDatabase, startTarget, startTestApp, type Target } from './helpers.ts';

const WRITE = 'write-token-limits-0000000';
const READ = 'read-token-limits-00000000';

let app: App;
let target: Target;
const database = createTempDatabase();

beforeAll(async () => {
  target = await startTarget();
  app = await startTestApp(database.url, { API_TOKEN: [WRITE], API_READ_TOKEN: [READ], MUTATION_RATE_PER_MINUTE: 2, METRICS_REQUIRE_TOKEN: 1 });
});

afterAll(async () => {
  await app.stop();
  await target.close();
  database.remove();
});

const authorized = (token: string | null): Record<string, string> => ({
  'content-type': 'application/json',
  ...(token === null ? {} : { authorization: `Bearer ${token}` }),
});

describe('mutation rate limit', () => {
  it('answers 429 with Retry-After past MUTATION_RATE_PER_MINUTE (REST and GraphQL share the bucket), and creates nothing', async () => {
    const create = () =>
      fetch(`${app.url}/jobs`, { method: 'POST', headers: authorized(WRITE), body: JSON.stringify({ schedule: '0 0 0 1 1 *', api: `${target.url}/x` }) });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    const refused = await create();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: string }).error).toContain('at most 2 a minute');

    const mutation = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: authorized(WRITE),
      body: JSON.stringify({ query: 'mutation { createJob(input: { schedule: "0 0 0 1 1 *", api: "http://127.0.0.1:9/x" }) { id } }' }),
    });
    const body = (await mutation.json()) as { errors: Array<{ extensions: { code: string; retryAfterSeconds: number } }> };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });

    const jobs = await fetch(`${app.url}/jobs`, { headers: authorized(READ) });
    expect(((await jobs.json()) as unknown[]).length).toBe(2);
  });
});

describe('mutation rate limit, per change', () => {
  const database = createTempDatabase();
  let limited: App;

  beforeAll(async () => {
    limited = await startTestApp(database.url, { API_TOKEN: [WRITE], MUTATION_RATE_PER_MINUTE: 3 });
  });

  afterAll(async () => {
    await limited.stop();
    database.remove();
  });

  const mutate = async (query: string) => {
    const response = await fetch(`${limited.url}/graphql`, { method: 'POST', headers: authorized(WRITE), body: JSON.stringify({ query }) });
    return (await response.json()) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };
  };
  const create = (alias: string) => `${alias}: createJob(input: { schedule: "0 0 0 1 1 *", api: "http://127.0.0.1:9/x" }) { id }`;

  it('counts each root field of a mutation as a change, and runs none of an operation past the limit', async () => {
    const tooMany = await mutate(`mutation { ${['a', 'b', 'c', 'd'].map(create).join(' ')} }`);
    expect(tooMany.errors?.[0]).toMatchObject({
      message: 'this operation makes 4 changes; at most 3 a minute are allowed (MUTATION_RATE_PER_MINUTE)',
      extensions: { code: 'RATE_LIMITED' },
    });
    const two = await mutate(`mutation { ${create('a')} ...More } fragment More on Mutation { ${create('b')} }`);
    expect(Object.keys(two.data ?? {})).toEqual(['a', 'b']);
    const refused = await mutate(`mutation { ${create('a')} ${create('b')} }`);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(Object.keys((await mutate(`mutation { ${create('c')} }`)).data ?? {})).toEqual(['c']);
  });
});

describe('METRICS_REQUIRE_TOKEN=1', () => {
  it('asks /metrics for a token, and keeps /health and /ready open', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: authorized(READ) })).status).toBe(200);
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);
  });
});
