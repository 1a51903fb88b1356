import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { graphql, graphqlData } from './graphql-helpers.ts';
import { requestJson, useTestApp } from './helpers.ts';

const CREATE_MANY = `mutation ($inputs: [CreateJobInput!]!) { createJobs(inputs: $inputs) { id schedule nextFireAt } }`;

describe('creating jobs fast', () => {
  const server = useTestApp();

  const count = () => {
    const db = new BetterSqlite3(server.database.path, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM "Job"').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('group-commits concurrent REST creates: every one is durable and distinct', async () => {
    const before = count();
    const created = await Promise.all(
      Array.from({ length: 200 }, (_, i) => requestJson(server.app.url, 'POST', '/jobs', { schedule: `${i % 60} 0 * * * *`, api: 'http://127.0.0.1:9/x' })),
    );
    expect(created.every((response) => response.status === 201)).toBe(true);
    expect(new Set(created.map((response) => response.body.jobId)).size).toBe(200);
    expect(count()).toBe(before + 200);
  });

  it('creates a batch through GraphQL in one transaction and schedules every job', async () => {
    const before = count();
    const inputs = Array.from({ length: 500 }, (_, i) => ({ schedule: `${i % 60} ${i % 60} * * * *`, api: `http://127.0.0.1:9/batch/${i}` }));
    const data = await graphqlData(server.app.url, CREATE_MANY, { inputs });
    expect(data.createJobs).toHaveLength(500);
    expect(data.createJobs.every((job: { nextFireAt: string | null }) => job.nextFireAt !== null)).toBe(true);
    expect(count()).toBe(before + 500);
    const rest = await requestJson(server.app.url, 'GET', `/jobs/${data.createJobs[499].id}`);
    expect(rest.body).toMatchObject({ schedule: '19 19 * * * *', api: 'http://127.0.0.1:9/batch/499' });
  });

  it('commits the intent of a new job’s first fire with its row, for single and batch creates', async () => {
    const intentOf = (id: string) => {
      const db = new BetterSqlite3(server.database.path, { readonly: true });
      try {
        return (db.prepare('SELECT "intentAt" FROM "Job" WHERE "id" = ?').get(id) as { intentAt: number | null }).intentAt;
      } finally {
        db.close();
      }
    };
    // Read at once: the engine's own intents wait for the writer's next batch (WRITE_FLUSH_MS, 250 ms).
    const single = await requestJson(server.app.url, 'POST', '/jobs', { schedule: '7 8 * * * *', api: 'http://127.0.0.1:9/intent', type: 'ATMOST_ONCE' });
    const intent = intentOf(single.body.jobId);
    const fetched = await requestJson(server.app.url, 'GET', `/jobs/${single.body.jobId}`);
    expect(intent).toBe(Date.parse(fetched.body.nextExecutionTime));
    const data = await graphqlData(server.app.url, CREATE_MANY, { inputs: [{ schedule: '9 10 * * * *', api: 'http://127.0.0.1:9/intent' }] });
    expect(intentOf(data.createJobs[0].id)).toBe(Date.parse(data.createJobs[0].nextFireAt));
  });

  it('lets the engine’s timers run while it schedules a large batch, between chunks', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const seen: number[] = [];
    const off = server.app.events.on('job:created', () => seen.push(ticks));
    try {
      const inputs = Array.from({ length: 5_000 }, (_, i) => ({ schedule: `${i % 60} ${i % 60} * * * *`, api: 'http://127.0.0.1:9/chunked' }));
      const data = await graphqlData(server.app.url, CREATE_MANY, { inputs });
      expect(data.createJobs).toHaveLength(5_000);
    } finally {
      off();
      clearInterval(ticker);
    }
    expect(seen).toHaveLength(5_000);
    // One synchronous loop over the batch would see the same count at its first job and its last.
    expect(seen.at(-1)!).toBeGreaterThan(seen[0]!);
  });

  it('creates none of a batch with one bad input, naming its index and field', async () => {
    const before = count();
    const result = await graphql(server.app.url, CREATE_MANY, {
      inputs: [
        { schedule: '* * * * * *', api: 'http://127.0.0.1:9/ok' },
        { schedule: '99 * * * * *', api: 'http://127.0.0.1:9/bad' },
      ],
    });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', field: 'inputs[1].schedule' });
    expect(result.errors?.[0]?.message).toMatch(/^inputs\[1\]: schedule "99 \* \* \* \* \*" is not a valid cron expression/);
    expect(count()).toBe(before);
  });
});
