/**
 * The bare reference: the least a scheduler could do for the same load. At every whole second of
 * a range it sends one POST per job through one undici Pool (the transport Zeitgeber uses), with
 * the body and headers Zeitgeber sends, and nothing else: no cron, no heap, no database.
 *
 * Protocol over IPC: it sends `{ type: 'ready' }`; on `{ type: 'start', url, jobIds, fromMs, toMs,
 * connections }` it fires at every second in `[fromMs, toMs)`, then answers `{ type: 'done',
 * sent, failed }` once every response is in. It exits when the parent goes away.
 */
import { Pool } from 'undici';
import { answerStarts } from './child-main.ts';
import { sleepUntil } from './sleep-until.ts';

export interface ReferenceStart {
  type: 'start';
  url: string;
  /** One POST per job id at every second. */
  jobIds: string[];
  fromMs: number;
  toMs: number;
  connections: number;
}

export interface ReferenceDone {
  type: 'done';
  sent: number;
  failed: number;
}

const TIMEOUT_MS = 30_000;

async function run(start: ReferenceStart): Promise<ReferenceDone> {
  const target = new URL(start.url);
  const pool = new Pool(target.origin, { connections: start.connections, pipelining: 1 });
  let sent = 0;
  let failed = 0;
  let outstanding = 0;
  let onSettled = (): void => {};
  const post = (jobId: string, second: number): void => {
    outstanding++;
    void pool
      .request({
        method: 'POST',
        path: target.pathname,
        headers: { 'content-type': 'application/json', 'idempotency-key': `${jobId}:${second}`, 'user-agent': 'Zeitgeber/0.1' },
        body: JSON.stringify({ jobId, scheduledAt: new Date(second).toISOString(), trigger: 'SCHEDULE', attempt: 1 }),
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      })
      .then((response) => response.body.dump())
      .catch(() => {
        failed++;
      })
      .finally(() => {
        outstanding--;
        if (outstanding === 0) onSettled();
      });
  };
  for (let second = start.fromMs; second < start.toMs; second += 1_000) {
    await sleepUntil(second);
    for (const jobId of start.jobIds) post(jobId, second);
    sent += start.jobIds.length;
  }
  if (outstanding > 0) await new Promise<void>((resolve) => (onSettled = resolve));
  await pool.close();
  return { type: 'done', sent, failed };
}

answerStarts('reference', run);
