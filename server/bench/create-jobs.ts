import { Pool } from 'undici';

/** What creating the jobs took. */
export interface CreatedJobs {
  jobIds: string[];
  elapsedMs: number;
  /** When the last job was created (its response arrived), in ms. */
  doneAt: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Creates `count` jobs through `POST /jobs`, each calling `api` every second, with at most
 * `concurrency` requests in flight. Any refused creation fails the run.
 */
export async function createJobs(serverUrl: string, api: string, count: number, concurrency: number): Promise<CreatedJobs> {
  const pool = new Pool(serverUrl, { connections: concurrency });
  const jobIds: string[] = [];
  const body = JSON.stringify({ schedule: '* * * * * *', api });
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      next++;
      const response = await pool.request({
        method: 'POST',
        path: '/jobs',
        headers: { 'content-type': 'application/json' },
        body,
        headersTimeout: REQUEST_TIMEOUT_MS,
        bodyTimeout: REQUEST_TIMEOUT_MS,
      });
      const text = await response.body.text();
      if (response.statusCode !== 201) throw new Error(`create-jobs: POST /jobs answered ${response.statusCode}: ${text}`);
      jobIds.push((JSON.parse(text) as { jobId: string }).jobId);
    }
  }
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  } finally {
    await pool.close();
  }
  return { jobIds, elapsedMs: performance.now() - started, doneAt: Date.now() };
}
