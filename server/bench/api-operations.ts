/** The GraphQL operations the bench sends, shared by its clients and by the floor that answers them (bare-api-server.ts). */

/** A page of jobs with their stats, as a dashboard reads it. */
export const JOBS_PAGE = `query JobsPage { jobs(first: 50) { totalCount edges { node { id schedule status nextFireAt
  stats { total successes failures successRate meanDurationMs p95DurationMs lastExecutionAt lastSuccess } } } } }`;

/** A job's latest executions. */
export const HISTORY = `query History($jobId: ID!) { executions(jobId: $jobId, first: 20) { edges { node {
  id scheduledAt startedAt attempt statusCode durationMs lagMs outcome } } pageInfo { hasNextPage endCursor } } }`;

/** A batch of new jobs, answered with their ids. */
export const CREATE_JOBS = 'mutation CreateJobs($inputs: [CreateJobInput!]!) { createJobs(inputs: $inputs) { id } }';
