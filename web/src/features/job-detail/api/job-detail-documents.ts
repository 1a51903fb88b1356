import { gql } from '@urql/core';
import type { ExecutionOutcome, ExecutionTrigger } from '../../../utils/execution-labels.ts';

/** How the job treats misfires, overlaps, DST transitions, responses and failures. */
export interface JobPolicies {
  misfirePolicy: 'FIRE_ONCE' | 'FIRE_ALL' | 'SKIP';
  catchUpLimit: number;
  catchUpWindowMs: number;
  overlapPolicy: 'ALLOW' | 'SKIP' | 'QUEUE_ONE';
  dstGap: 'SHIFT' | 'SKIP';
  dstOverlap: 'FIRST' | 'LAST' | 'BOTH';
  successCodes: string;
  successBodyPattern: string | null;
  failingThreshold: number;
  autoPauseAfter: number | null;
  lagAlertMs: number | null;
}

export interface JobDetail extends JobPolicies {
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
  /** Why the service paused the job (410 Gone, auto-pause); null when running or paused by a user. */
  pauseReason: string | null;
  consecutiveFailures: number;
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
  pauseReason
  consecutiveFailures
  misfirePolicy
  catchUpLimit
  catchUpWindowMs
  overlapPolicy
  dstGap
  dstOverlap
  successCodes
  successBodyPattern
  failingThreshold
  autoPauseAfter
  lagAlertMs
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
  /** The start of the response body, as kept by the server (bounded). */
  responseSnippet: string | null;
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
          responseSnippet
        }
      }
    }
  }
`);

export type AlertEvent = 'JOB_FAILED' | 'JOB_FAILING' | 'JOB_RECOVERED' | 'JOB_MISSED' | 'JOB_LAGGING' | 'JOB_AUTO_PAUSED';

/** One alert sent to the job's webhook, and whether the webhook accepted it. */
export interface AlertDelivery {
  id: string;
  event: AlertEvent;
  url: string;
  sentAt: string;
  statusCode: number | null;
  success: boolean;
  error: string | null;
}

/** How many recent alerts the job page lists. */
export const ALERTS_SHOWN = 10;

export const JobAlertsQuery = gql<{ job: { id: string; alerts: AlertDelivery[] } | null }, { id: string; first: number }>(`
  query JobAlerts($id: ID!, $first: Int!) {
    job(id: $id) {
      id
      alerts(first: $first) {
        id
        event
        url
        sentAt
        statusCode
        success
        error
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
