import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, requestJson, startTestApp, waitFor } from './helpers.ts';
import { expectEachSecondOnce, recordedFor } from './recorded-outcomes.ts';

/** One call as a slow target saw it: when it arrived and when it was answered. */
interface HeldCall {
  jobId: string;
  scheduledAt: number;
  trigger: string;
  arrivedAt: number;
  answeredAt: number | null;
}

/**
 * A real HTTP endpoint on 127.0.0.1 that holds every call for `holdMs` before answering 200, and
 * keeps, per job, how many of its calls were open at once at most.
 */
async function startSlowTarget(holdMs: number) {
  const calls: HeldCall[] = [];
  const open = new Map<string, number>();
  const mostOpen = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { jobId: string; scheduledAt: string; trigger: string };
      const call: HeldCall = { jobId: body.jobId, scheduledAt: Date.parse(body.scheduledAt), trigger: body.trigger, arrivedAt: Date.now(), answeredAt: null };
      calls.push(call);
      const now = (open.get(call.jobId) ?? 0) + 1;
      open.set(call.jobId, now);
      mostOpen.set(call.jobId, Math.max(now, mostOpen.get(call.jobId) ?? 0));
      setTimeout(() => {
        open.set(call.jobId, open.get(call.jobId)! - 1);
        call.answeredAt = Date.now();
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('ok');
      }, holdMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    callsOf: (jobId: string) => calls.filter((call) => call.jobId === jobId),
    mostOpen: (jobId: string) => mostOpen.get(jobId) ?? 0,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const HOLD_MS = 1_500;
let target: Awaited<ReturnType<typeof startSlowTarget>>;
let app: App;
const database = createTempDatabase();

beforeAll(async () => {
  target = await startSlowTarget(HOLD_MS);
  app = await startTestApp(database.url);
});

afterAll(async () => {
  await app.stop();
  await target.close();
  database.remove();
});

describe('overlap policy against a target that holds each call for 1.5 s, on the real clock', () => {
  it('ALLOW overlaps calls; SKIP and QUEUE_ONE never do: SKIP skips what falls due meanwhile, QUEUE_ONE sends one of them as soon as the call settles', async () => {
    const ids: Record<string, string> = {};
    for (const overlapPolicy of ['ALLOW', 'SKIP', 'QUEUE_ONE']) {
      const { status, body } = await requestJson(app.url, 'POST', '/jobs', { schedule: '*/1 * * * * *', api: `${target.url}/${overlapPolicy}`, overlapPolicy });
      expect(status).toBe(201);
      ids[overlapPolicy] = body.jobId;
    }
    const answered = (jobId: string) => target.callsOf(jobId).filter((call) => call.answeredAt !== null).length;
    await waitFor(async () => Math.min(answered(ids.QUEUE_ONE!), answered(ids.SKIP!)), (count) => count >= 4, 20_000);
    for (const id of Object.values(ids)) await graphqlData(app.url, 'mutation ($id: ID!) { pauseJob(id: $id) { status } }', { id });

    expect(target.mostOpen(ids.ALLOW!)).toBeGreaterThanOrEqual(2);
    expect(target.mostOpen(ids.SKIP!)).toBe(1);
    expect(target.mostOpen(ids.QUEUE_ONE!)).toBe(1);
    // QUEUE_ONE: a call fell due while the one before it was held, and went out once that one was answered.
    const queueing = target.callsOf(ids.QUEUE_ONE!);
    const sentWhenFreed = queueing.slice(1).filter((call, i) => call.scheduledAt < queueing[i]!.answeredAt! - 200 && call.arrivedAt >= queueing[i]!.answeredAt!);
    expect(sentWhenFreed.length).toBeGreaterThanOrEqual(2);
    // SKIP: no call was kept waiting; each one fell due after the one before it was answered.
    const skipping = target.callsOf(ids.SKIP!);
    for (let i = 1; i < skipping.length; i++) expect(skipping[i]!.scheduledAt).toBeGreaterThanOrEqual(skipping[i - 1]!.answeredAt! - 50);

    // Once the paused jobs' last calls are answered and written, every second has exactly one outcome.
    for (const policy of ['SKIP', 'QUEUE_ONE']) {
      const jobId = ids[policy]!;
      const recorded = await waitFor(
        async () => recordedFor(database.path, jobId),
        (r) => target.callsOf(jobId).every((call) => call.answeredAt !== null) && r.executions.length === target.callsOf(jobId).length,
        10_000,
      );
      // QUEUE_ONE's waiting occurrence, if the pause found one, is recorded as skipped by the pause.
      const reasons = recorded.skips.map((skip) => skip.reason);
      expect(reasons).toContain('OVERLAP');
      const expected = policy === 'SKIP' ? ['OVERLAP'] : ['OVERLAP', 'PAUSED'];
      expect(reasons.filter((reason) => !expected.includes(reason))).toEqual([]);
      expectEachSecondOnce(recorded);
    }
  }, 40_000);
});
