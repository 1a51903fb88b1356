import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_JOBS, HISTORY, JOBS_PAGE } from './api-operations.ts';
import { startFloor, type FloorProcess } from './floor-process.ts';

let floor: FloorProcess;

beforeAll(async () => {
  floor = await startFloor();
});

afterAll(() => floor.kill());

async function post(path: string, body: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${floor.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, json: await response.json() };
}

describe('the floor of the API (bare-api-server.ts)', () => {
  it('answers a single create 201 with the job and a new id', async () => {
    const job = { schedule: '5 7 * * * *', api: 'http://127.0.0.1:9/hook' };
    const first = await post('/jobs', JSON.stringify(job));
    const second = await post('/jobs', JSON.stringify(job));
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), ...job });
    expect((second.json as { id: string }).id).not.toBe((first.json as { id: string }).id);
  });

  it('answers a createJobs batch with one new id per input', async () => {
    const inputs = Array.from({ length: 3 }, (_, index) => ({ schedule: `${index} 7 * * * *`, api: 'http://127.0.0.1:9/hook' }));
    const { status, json } = await post('/graphql', JSON.stringify({ query: CREATE_JOBS, variables: { inputs } }));
    expect(status).toBe(200);
    const ids = (json as { data: { createJobs: Array<{ id: string }> } }).data.createJobs.map((job) => job.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('answers the read-load reads with pages of the shape Zeitgeber answers', async () => {
    const page = await post('/graphql', JSON.stringify({ query: JOBS_PAGE }));
    const jobs = (page.json as { data: { jobs: { totalCount: number; edges: Array<{ node: { stats: { total: number } } }> } } }).data.jobs;
    expect(page.status).toBe(200);
    expect(jobs.edges).toHaveLength(50);
    expect(jobs.edges[0]!.node.stats.total).toBeGreaterThan(0);
    const history = await post('/graphql', JSON.stringify({ query: HISTORY, variables: { jobId: 'a' } }));
    const executions = (history.json as { data: { executions: { edges: Array<{ node: { outcome: string } }>; pageInfo: { hasNextPage: boolean } } } }).data.executions;
    expect(executions.edges).toHaveLength(20);
    expect(executions.edges[0]!.node.outcome).toBe('SUCCEEDED');
    expect(executions.pageInfo.hasNextPage).toBe(true);
  });

  it('refuses an operation the bench does not send, so a changed client fails instead of reading wrong answers', async () => {
    const { status } = await post('/graphql', JSON.stringify({ query: 'query Other { jobs { totalCount } }' }));
    expect(status).toBe(400);
  });

  it('refuses a body that is not JSON and keeps answering', async () => {
    expect(await post('/jobs', 'not json')).toEqual({ status: 400, json: { error: 'body is not JSON' } });
    expect((await post('/jobs', '{}')).status).toBe(201);
  });
});
