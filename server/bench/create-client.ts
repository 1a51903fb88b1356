/**
 * The bench's REST creator, run as a child process of its own so that it does not share the
 * server's thread: it creates `count` jobs through single `POST /jobs` calls, `inFlight` at once,
 * each with a quiet schedule (schedules.ts) so that none fires while it is measured.
 *
 * Protocol over IPC: it sends `{ type: 'ready' }`; on a {@link CreateStart} it creates the jobs
 * and answers a {@link CreateDone}. It exits when the parent goes away.
 */
import { Pool } from 'undici';
import { answerStarts } from './child-main.ts';
import { quietSchedule } from './schedules.ts';

/** Asks for the creates. */
export interface CreateStart {
  type: 'start';
  serverUrl: string;
  api: string;
  count: number;
  inFlight: number;
}

/** What the creates took; `elapsedMs` from the first request to the last answer. */
export interface CreateDone {
  type: 'done';
  created: number;
  failed: number;
  elapsedMs: number;
  firstError: string | null;
}

const TIMEOUT_MS = 60_000;

async function run(start: CreateStart): Promise<CreateDone> {
  const pool = new Pool(start.serverUrl, { connections: start.inFlight });
  const now = Date.now();
  const bodies = Array.from({ length: start.count }, (_, index) => JSON.stringify({ schedule: quietSchedule(index, now), api: start.api }));
  let next = 0;
  let created = 0;
  let failed = 0;
  let firstError: string | null = null;
  async function worker(): Promise<void> {
    while (next < start.count) {
      const body = bodies[next++]!;
      try {
        const response = await pool.request({
          method: 'POST',
          path: '/jobs',
          headers: { 'content-type': 'application/json' },
          body,
          headersTimeout: TIMEOUT_MS,
          bodyTimeout: TIMEOUT_MS,
        });
        const text = await response.body.text();
        if (response.statusCode === 201) created++;
        else {
          failed++;
          firstError ??= `status ${response.statusCode}: ${text.slice(0, 300)}`;
        }
      } catch (error: unknown) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(start.inFlight, start.count) }, worker));
  const elapsedMs = performance.now() - started;
  await pool.close();
  return { type: 'done', created, failed, elapsedMs, firstError };
}

answerStarts('create-client', run);
