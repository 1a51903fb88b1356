import { Agent } from 'undici';
import { CREATE_JOBS } from './api-operations.ts';
import { postGraphql } from './graphql-request.ts';

/** What creating jobs in batches took. */
export interface BatchesCreated {
  created: number;
  /**
   * One batch in flight: the sum of the requests' durations. More: from the first request's start
   * to the last answer. Bodies are encoded before the request that sends them starts its clock.
   */
  elapsedMs: number;
  /** The slowest batch, in ms. */
  slowestMs: number;
}

/**
 * Creates `total` jobs calling `api` through the GraphQL `createJobs` mutation, `batchSize` per
 * request, `inFlight` requests at once (each on a connection of its own); `schedule(i)` is the
 * i-th job's cron expression. A batch the server refuses fails the run.
 */
export async function createJobBatches(
  serverUrl: string,
  api: string,
  total: number,
  batchSize: number,
  schedule: (index: number) => string,
  onBatch: (created: number) => void = () => {},
  inFlight = 1,
): Promise<BatchesCreated> {
  const agent = new Agent({ connections: inFlight });
  let taken = 0;
  let created = 0;
  let busyMs = 0;
  let slowestMs = 0;
  let firstStart = Number.POSITIVE_INFINITY;
  let failed = false;
  async function sender(): Promise<void> {
    while (taken < total && !failed) {
      const first = taken;
      const size = Math.min(batchSize, total - first);
      taken += size;
      const inputs = Array.from({ length: size }, (_, offset) => ({ schedule: schedule(first + offset), api }));
      const body = JSON.stringify({ query: CREATE_JOBS, variables: { inputs } });
      const started = performance.now();
      firstStart = Math.min(firstStart, started);
      let data: { createJobs: Array<{ id: string }> };
      try {
        data = await postGraphql<{ createJobs: Array<{ id: string }> }>(serverUrl, body, agent);
        if (data.createJobs.length !== size) throw new Error(`job-batches: createJobs made ${data.createJobs.length} of ${size} jobs`);
      } catch (error: unknown) {
        failed = true;
        throw error;
      }
      const took = performance.now() - started;
      busyMs += took;
      slowestMs = Math.max(slowestMs, took);
      created += size;
      onBatch(created);
    }
  }
  try {
    await Promise.all(Array.from({ length: inFlight }, sender));
    const lastAnswer = performance.now();
    return { created, elapsedMs: inFlight === 1 ? busyMs : lastAnswer - firstStart, slowestMs };
  } finally {
    await agent.close();
  }
}
