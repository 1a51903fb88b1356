import { Agent } from 'undici';
import { postGraphql } from './graphql-request.ts';

const CREATE_JOBS = 'mutation CreateJobs($inputs: [CreateJobInput!]!) { createJobs(inputs: $inputs) { id } }';

/** What creating jobs in batches took. */
export interface BatchesCreated {
  created: number;
  /** Sum of the requests' durations (the bodies are encoded before each clock starts), in ms. */
  elapsedMs: number;
  /** The slowest batch, in ms. */
  slowestMs: number;
}

/**
 * Creates `total` jobs calling `api` through the GraphQL `createJobs` mutation, `batchSize` per
 * request, one request after the other; `schedule(i)` is the i-th job's cron expression. A batch
 * the server refuses fails the run.
 */
export async function createJobBatches(
  serverUrl: string,
  api: string,
  total: number,
  batchSize: number,
  schedule: (index: number) => string,
  onBatch: (created: number) => void = () => {},
): Promise<BatchesCreated> {
  const agent = new Agent({ connections: 1 });
  let created = 0;
  let elapsedMs = 0;
  let slowestMs = 0;
  try {
    while (created < total) {
      const size = Math.min(batchSize, total - created);
      const inputs = Array.from({ length: size }, (_, offset) => ({ schedule: schedule(created + offset), api }));
      const body = JSON.stringify({ query: CREATE_JOBS, variables: { inputs } });
      const started = performance.now();
      const data = await postGraphql<{ createJobs: Array<{ id: string }> }>(serverUrl, body, agent);
      const took = performance.now() - started;
      if (data.createJobs.length !== size) throw new Error(`job-batches: createJobs made ${data.createJobs.length} of ${size} jobs`);
      elapsedMs += took;
      slowestMs = Math.max(slowestMs, took);
      created += size;
      onBatch(created);
    }
  } finally {
    await agent.close();
  }
  return { created, elapsedMs, slowestMs };
}
