import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, startTarget, startTestApp, type Target } from './helpers.ts';

const SEEDED = 300;
const PAGE = 40;
const PAGE_QUERY = `query ($jobId: ID!, $after: String) {
  executions(jobId: $jobId, first: ${PAGE}, after: $after) {
    edges { cursor node { id jobId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('GraphQL execution pages', () => {
  const database = createTempDatabase();
  let app: App;
  let target: Target;
  let sqlite: Database;
  let jobId: string;

  /** Writes executions of the job straight into the file, as a second connection. */
  function insertExecutions(count: number): void {
    const insert = sqlite.prepare(
      `INSERT INTO "Execution" ("jobId", "scheduledAt", "startedAt", "durationMs", "attempt", "trigger", "statusCode", "success", "error")
       VALUES (?, ?, ?, 12, 1, 'SCHEDULE', 200, 1, NULL)`,
    );
    const base = Date.now();
    sqlite.transaction(() => {
      for (let i = 0; i < count; i++) insert.run(jobId, base + i, base + i + 3);
    })();
  }

  beforeAll(async () => {
    target = await startTarget();
    app = await startTestApp(database.url);
    sqlite = new BetterSqlite3(database.path, { timeout: 5_000 });
    const data = await graphqlData(app.url, `mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }`, {
      input: { schedule: '* * * * * *', api: `${target.url}/tick` },
    });
    jobId = data.createJob.id;
    insertExecutions(SEEDED);
  });

  afterAll(async () => {
    await app?.stop();
    sqlite?.close();
    await target?.close();
    database.remove();
  });

  it('returns every execution exactly once while new ones keep arriving', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const data: any = await graphqlData(app.url, PAGE_QUERY, { jobId, after });
      const { edges, pageInfo } = data.executions;
      seen.push(...edges.map((edge: any) => Number(edge.node.id)));
      expect(edges.every((edge: any) => edge.node.jobId === jobId)).toBe(true);
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
      pages++;
      // Newer executions land on top of the list while the client is paging.
      insertExecutions(5);
      if (pages === 2) await app.events.once('execution:finished', (record) => record.jobId === jobId);
    } while (after !== null);

    const top = seen[0]!;
    const expected = (sqlite.prepare(`SELECT "id" FROM "Execution" WHERE "jobId" = ? AND "id" <= ? ORDER BY "id" DESC`).all(jobId, top) as Array<{ id: number }>).map(
      (row) => row.id,
    );
    expect(seen.length).toBeGreaterThanOrEqual(SEEDED);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);
    const newest = sqlite.prepare(`SELECT max("id") AS id FROM "Execution" WHERE "jobId" = ?`).get(jobId) as { id: number };
    expect(newest.id).toBeGreaterThan(top);
  });

  it("continues the list after any edge's cursor; the last edge's is the page's endCursor", async () => {
    const first: any = await graphqlData(app.url, PAGE_QUERY, { jobId, after: null });
    const { edges, pageInfo } = first.executions;
    expect(edges.at(-1).cursor).toBe(pageInfo.endCursor);
    const next: any = await graphqlData(app.url, PAGE_QUERY, { jobId, after: edges[9].cursor });
    expect(next.executions.edges.slice(0, PAGE - 10).map((edge: any) => edge.node.id)).toEqual(edges.slice(10).map((edge: any) => edge.node.id));
  });
});
