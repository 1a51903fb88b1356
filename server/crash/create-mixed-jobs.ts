import type { CreatedJob, DeliveryType } from './verify.ts';

const REQUEST_TIMEOUT_MS = 30_000;

/** The schedule of the i-th job: six in ten every second, two every 2 s, two every 5 s. */
const SCHEDULES = [
  { schedule: '* * * * * *', periodMs: 1_000 },
  { schedule: '* * * * * *', periodMs: 1_000 },
  { schedule: '* * * * * *', periodMs: 1_000 },
  { schedule: '* * * * * *', periodMs: 1_000 },
  { schedule: '* * * * * *', periodMs: 1_000 },
  { schedule: '* * * * * *', periodMs: 1_000 },
  { schedule: '*/2 * * * * *', periodMs: 2_000 },
  { schedule: '*/2 * * * * *', periodMs: 2_000 },
  { schedule: '*/5 * * * * *', periodMs: 5_000 },
  { schedule: '*/5 * * * * *', periodMs: 5_000 },
] as const;

/** The job the crash test creates at position `index`: the types alternate, so each gets every schedule. */
export function jobPlan(index: number): { type: DeliveryType; schedule: string; periodMs: number } {
  const { schedule, periodMs } = SCHEDULES[index % SCHEDULES.length]!;
  return { type: index % 2 === 0 ? 'ATLEAST_ONCE' : 'ATMOST_ONCE', schedule, periodMs };
}

/**
 * Creates `count` jobs calling `api` through `POST /jobs`, `concurrency` at a time. A job's
 * `createdAt` is when its 201 arrived, so every occurrence after it is owed. Any refusal fails.
 */
export async function createMixedJobs(serverUrl: string, api: string, count: number, concurrency = 8): Promise<CreatedJob[]> {
  const jobs: CreatedJob[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      const { type, schedule, periodMs } = jobPlan(next++);
      const response = await fetch(`${serverUrl}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ schedule, api, type }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status !== 201) throw new Error(`crash: POST /jobs answered ${response.status}: ${text}`);
      jobs.push({ id: (JSON.parse(text) as { jobId: string }).jobId, type, periodMs, createdAt: Date.now() });
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return jobs;
}
