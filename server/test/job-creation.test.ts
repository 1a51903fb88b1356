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

  it('lets no job of a batch still being scheduled be deleted, paused or changed under the batch', async () => {
    const metrics = async () => (await requestJson(server.app.url, 'GET', '/metrics')).body as { jobs: number; activeJobs: number };
    const before = await metrics();
    const size = 2_000;
    const inputs = Array.from({ length: size }, (_, i) => ({ schedule: `${i % 60} ${i % 60} * * * *`, api: `http://127.0.0.1:9/race/${i}` }));
    const db = new BetterSqlite3(server.database.path, { readonly: true });
    const idOf = (index: number) => db.prepare('SELECT "id" FROM "Job" WHERE "api" = ?').pluck().get(`http://127.0.0.1:9/race/${index}`) as string;
    let ids: string[] = [];
    let changes: Promise<unknown> | null = null;
    // Every row is stored before the first job is scheduled: the batch's last jobs change then, before their turn.
    const off = server.app.events.on('job:created', () => {
      if (changes) return;
      ids = [size - 1, size - 2, size - 3].map(idOf);
      changes = Promise.all([
        graphqlData(server.app.url, 'mutation ($id: ID!) { deleteJob(id: $id) { id } }', { id: ids[0] }),
        graphqlData(server.app.url, 'mutation ($id: ID!) { pauseJob(id: $id) { id } }', { id: ids[1] }),
        graphqlData(server.app.url, 'mutation ($id: ID!) { updateJob(id: $id, input: { schedule: "0 0 0 1 1 *" }) { id } }', { id: ids[2] }),
      ]);
    });
    try {
      const data = await graphqlData(server.app.url, CREATE_MANY, { inputs });
      expect(data.createJobs).toHaveLength(size);
      await changes;
    } finally {
      off();
      db.close();
    }
    const after = await metrics();
    expect(after.jobs - before.jobs).toBe(size - 1);
    expect(after.activeJobs - before.activeJobs).toBe(size - 2);
    expect((await requestJson(server.app.url, 'GET', `/jobs/${ids[0]}`)).status).toBe(404);
    const paused = await graphqlData(server.app.url, 'query ($id: ID!) { job(id: $id) { status nextFireAt } }', { id: ids[1] });
    expect(paused.job).toEqual({ status: 'PAUSED', nextFireAt: null });
    const updated = await graphqlData(server.app.url, 'query ($id: ID!) { job(id: $id) { schedule nextFireAt } }', { id: ids[2] });
    expect(updated.job.schedule).toBe('0 0 0 1 1 *');
    expect(new Date(updated.job.nextFireAt).toISOString()).toMatch(/-01-01T00:00:00\.000Z$/);
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

  it('creates none of a batch whose bad input comes after parts of it were already written aside', async () => {
    const before = count();
    const inputs = Array.from({ length: 600 }, (_, i) => ({ schedule: `${i % 60} 0 * * * *`, api: `http://127.0.0.1:9/staged/${i}` }));
    const result = await graphql(server.app.url, CREATE_MANY, { inputs: inputs.map((input, i) => (i === 550 ? { ...input, schedule: '0 0 25 * * *' } : input)) });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', field: 'inputs[550].schedule' });
    expect(count()).toBe(before);
    // The same inputs, corrected, all go in: nothing of the refused batch stood in their way.
    const data = await graphqlData(server.app.url, CREATE_MANY, { inputs });
    expect(data.createJobs).toHaveLength(600);
    expect(count()).toBe(before + 600);
  });
});

describe('a new job’s first intent', () => {
  const withRow = useTestApp({ WRITE_FLUSH_MS: 10_000 });

  it('commits the intent of a new job’s first fire with its row, for single and batch creates', async () => {
    const intentOf = (id: string) => {
      const db = new BetterSqlite3(withRow.database.path, { readonly: true });
      try {
        return (db.prepare('SELECT "intentAt" FROM "Job" WHERE "id" = ?').get(id) as { intentAt: number | null }).intentAt;
      } finally {
        db.close();
      }
    };
    // The engine's own intents wait for the writer's next batch, 10 s away: what is read is the row's.
    const single = await requestJson(withRow.app.url, 'POST', '/jobs', { schedule: '7 8 * * * *', api: 'http://127.0.0.1:9/intent', type: 'ATMOST_ONCE' });
    const intent = intentOf(single.body.jobId);
    const fetched = await requestJson(withRow.app.url, 'GET', `/jobs/${single.body.jobId}`);
    expect(intent).toBe(Date.parse(fetched.body.nextExecutionTime));
    const data = await graphqlData(withRow.app.url, CREATE_MANY, { inputs: [{ schedule: '9 10 * * * *', api: 'http://127.0.0.1:9/intent' }] });
    expect(intentOf(data.createJobs[0].id)).toBe(Date.parse(data.createJobs[0].nextFireAt));
  });
});
