import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCrashableServer, type CrashableServer } from '../crash/crashable-server.ts';
import { sleepUntil } from '../bench/sleep-until.ts';
import { graphqlData } from './graphql-helpers.ts';
import { requestJson, waitFor } from './helpers.ts';

interface Call {
  path: string;
  jobId: string;
  scheduledAt: number;
  trigger: string;
  attempt: number;
}

/**
 * A target on 127.0.0.1: /flaky answers its first call 503 with a Retry-After of a minute, /hang
 * never answers (an at-most-once call in flight when the server dies), and every other call is
 * answered 200.
 */
async function startFlakyTarget() {
  const calls: Call[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { jobId: string; scheduledAt: string; trigger: string; attempt: number };
      const path = request.url ?? '/';
      const first = !calls.some((call) => call.path === path);
      calls.push({ path, jobId: body.jobId, scheduledAt: Date.parse(body.scheduledAt), trigger: body.trigger, attempt: body.attempt });
      if (path === '/hang') hanging.push(response);
      else if (path === '/flaky' && first) response.writeHead(503, { 'retry-after': '60' }).end();
      else response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'zeitgeber-reschedule-'));
const logPath = join(scratch, 'server.log');
const servers: CrashableServer[] = [];

afterAll(() => {
  for (const server of servers) server.abandon();
  rmSync(scratch, { recursive: true, force: true });
});

async function start(databasePath: string, env: Record<string, string> = {}): Promise<CrashableServer> {
  const server = await startCrashableServer({ databasePath, dist: false, logPath, env });
  servers.push(server);
  return server;
}

const UPDATE = 'mutation ($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) { id } }';
const YEARLY = '0 0 0 1 1 *';

/** Every execution record, oldest first. */
function readExecutions(databasePath: string) {
  const db = new BetterSqlite3(databasePath, { readonly: true });
  try {
    return db.prepare('SELECT "jobId", "scheduledAt", "trigger", "outcome" FROM "Execution" ORDER BY "id"').all() as Array<{
      jobId: string;
      scheduledAt: number;
      trigger: string;
      outcome: string;
    }>;
  } finally {
    db.close();
  }
}

describe('a schedule change, then kill -9', () => {
  it('still owes the old schedule\'s occurrence that had no outcome: sent again at-least-once, UNKNOWN at-most-once (though the job turned at-least-once)', { timeout: 120_000 }, async () => {
    const databasePath = join(scratch, 'owed.db');
    const target = await startFlakyTarget();
    try {
      const first = await start(databasePath);
      // Both jobs fire once, at the same second, a few seconds from now (then not for an hour).
      const due = Math.ceil((Date.now() + 3_000) / 1_000) * 1_000;
      const when = new Date(due);
      const schedule = `${when.getUTCSeconds()} ${when.getUTCMinutes()} * * * *`;
      const create = async (path: string, type: string) =>
        (await requestJson(first.url, 'POST', '/jobs', { schedule, api: `${target.url}${path}`, type, timeoutMs: 60_000 })).body.jobId as string;
      const retried = await create('/flaky', 'ATLEAST_ONCE');
      const hung = await create('/hang', 'ATMOST_ONCE');

      // The at-least-once call failed and waits a minute for its retry; the at-most-once one is in flight.
      await waitFor(async () => target.calls.length, (count) => count === 2, 10_000);
      await waitFor(
        async () => (await requestJson(first.url, 'GET', `/jobs/${retried}/executions`)).body,
        (executions: unknown[]) => executions.length === 1,
        10_000,
      );
      await graphqlData(first.url, UPDATE, { id: retried, input: { schedule: YEARLY } });
      // The call was made at most once: the job's new type does not make it one to send again.
      await graphqlData(first.url, UPDATE, { id: hung, input: { schedule: YEARLY, type: 'ATLEAST_ONCE' } });
      await first.kill();

      const second = await start(databasePath);
      const resent = await waitFor(
        async () => target.calls.find((call) => call.jobId === retried && call.trigger === 'RECOVERY'),
        (call) => call !== undefined,
        15_000,
      );
      expect(resent?.scheduledAt).toBe(due);
      // Give a second send of the at-most-once occurrence the time it would take, then stop cleanly.
      await sleepUntil(Date.now() + 1_000);
      expect(await second.stop()).toBe(0);

      expect(target.calls.filter((call) => call.jobId === hung)).toHaveLength(1);
      const outcomes = readExecutions(databasePath);
      expect(outcomes.filter((row) => row.jobId === retried)).toEqual([
        { jobId: retried, scheduledAt: due, trigger: 'SCHEDULE', outcome: 'FAILED' },
        { jobId: retried, scheduledAt: due, trigger: 'RECOVERY', outcome: 'SUCCEEDED' },
      ]);
      expect(outcomes.filter((row) => row.jobId === hung)).toEqual([{ jobId: hung, scheduledAt: due, trigger: 'SCHEDULE', outcome: 'UNKNOWN' }]);
      // Nothing is owed any more: both cursors passed the occurrence.
      const db = new BetterSqlite3(databasePath, { readonly: true });
      try {
        const cursors = db.prepare('SELECT "cursorAt" FROM "Job"').pluck().all() as number[];
        expect(cursors.every((cursorAt) => cursorAt >= due)).toBe(true);
      } finally {
        db.close();
      }
    } finally {
      await target.close();
    }
  });

  it('loses no outcome the engine had before the change, however long the execution log waits to write it', { timeout: 120_000 }, async () => {
    const databasePath = join(scratch, 'buffered.db');
    const target = await startFlakyTarget();
    try {
      // Records wait up to 10 s in the writer's buffer: the change must not leave them behind.
      const first = await start(databasePath, { WRITE_FLUSH_MS: '10000' });
      const { body } = await requestJson(first.url, 'POST', '/jobs', { schedule: '* * * * * *', api: `${target.url}/ok` });
      const jobId: string = body.jobId;
      await waitFor(async () => target.calls.length, (count) => count >= 1, 10_000);
      // Long enough for the answer to be taken in: the occurrence has its outcome in memory.
      await sleepUntil(Date.now() + 200);
      await graphqlData(first.url, UPDATE, { id: jobId, input: { schedule: YEARLY } });
      await first.kill();

      const second = await start(databasePath);
      expect(await second.stop()).toBe(0);
      const received = [...new Set(target.calls.map((call) => call.scheduledAt))];
      const recorded = new Set(readExecutions(databasePath).map((row) => row.scheduledAt));
      expect(received.length).toBeGreaterThan(0);
      expect(received.filter((at) => !recorded.has(at))).toEqual([]);
    } finally {
      await target.close();
    }
  });
});
