import { gql } from '@urql/core';
import type { ExecutionOutcome, ExecutionTrigger } from '../../../utils/execution-labels.ts';

export interface JobDetail {
  id: string;
  api: string;
  schedule: string;
  timezone: string;
  type: 'ATLEAST_ONCE' | 'ATMOST_ONCE';
  alertWebhook: string | null;
  timeoutMs: number;
  /** Attempts per occurrence: the first call and its retries; always 1 for ATMOST_ONCE. */
  maxAttempts: number;
  status: 'ACTIVE' | 'PAUSED';
  description: string;
  nextFireAt: string | null;
  nextFireTimes: string[];
  createdAt: string;
  updatedAt: string;
  stats: {
    total: number;
    successes: number;
    failures: number;
    successRate: number | null;
    meanDurationMs: number | null;
    p95DurationMs: number | null;
    lastExecutionAt: string | null;
    lastSuccess: boolean | null;
  };
}

const JOB_DETAIL_FIELDS = `
  id
  api
  schedule
  timezone
  type
  alertWebhook
  timeoutMs
  maxAttempts
  status
  description
  nextFireAt
  nextFireTimes(count: 5)
  createdAt
  updatedAt
  stats {
    total
    successes
    failures
    successRate
    meanDurationMs
    p95DurationMs
    lastExecutionAt
    lastSuccess
  }
`;

export const JobDetailQuery = gql<{ job: JobDetail | null }, { id: string }>(`
  query JobDetail($id: ID!) {
    job(id: $id) {${JOB_DETAIL_FIELDS}}
  }
`);

export interface StoredExecution {
  id: string;
  scheduledAt: string;
  startedAt: string;
  lagMs: number;
  statusCode: number | null;
  durationMs: number;
  outcome: ExecutionOutcome;
  error: string | null;
  attempt: number;
  trigger: ExecutionTrigger;
}

export interface ExecutionsPageData {
  executions: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: StoredExecution }[];
  };
}

export const JobExecutionsQuery = gql<ExecutionsPageData, { jobId: string; first: number; after: string | null }>(`
  query JobExecutions($jobId: ID!, $first: Int!, $after: String) {
    executions(jobId: $jobId, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          scheduledAt
          startedAt
          lagMs
          statusCode
          durationMs
          outcome
          error
          attempt
          trigger
        }
      }
    }
  }
`);

export interface ExecutionEvent {
  type: 'STARTED' | 'SUCCEEDED' | 'FAILED';
  jobId: string;
  scheduledAt: string;
  startedAt: string;
  trigger: ExecutionTrigger;
  attempt: number;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
}

export const JobExecutionEventsSubscription = gql<{ executionEvents: ExecutionEvent }, { jobId: string }>(`
  subscription JobExecutionEvents($jobId: ID!) {
    executionEvents(jobId: $jobId) {
      type
      jobId
      scheduledAt
      startedAt
      trigger
      attempt
      statusCode
      durationMs
      error
    }
  }
`);

export const PauseJobMutation = gql<{ pauseJob: JobDetail }, { id: string }>(`
  mutation PauseJob($id: ID!) {
    pauseJob(id: $id) {${JOB_DETAIL_FIELDS}}
  }
`);

export const ResumeJobMutation = gql<{ resumeJob: JobDetail }, { id: string }>(`
  mutation ResumeJob($id: ID!) {
    resumeJob(id: $id) {${JOB_DETAIL_FIELDS}}
  }
`);

export const TriggerJobMutation = gql<{ triggerJob: { scheduledAt: string; job: { id: string } } }, { id: string }>(`
  mutation TriggerJob($id: ID!) {
    triggerJob(id: $id) {
      scheduledAt
      job {
        id
      }
    }
  }
`);

export const DeleteJobMutation = gql<{ deleteJob: { id: string } }, { id: string }>(`
  mutation DeleteJob($id: ID!) {
    deleteJob(id: $id) {
      id
    }
  }
`);
