import { gql } from '@urql/core';
import type { ExecutionOutcome } from '../../../utils/execution-labels.ts';

export type JobStatus = 'ACTIVE' | 'PAUSED';

/** How many recent runs the table's trend shows. */
export const TREND_LENGTH = 12;

export interface JobRow {
  id: string;
  api: string;
  schedule: string;
  timezone: string;
  description: string;
  status: JobStatus;
  /** Why the service paused the job (410 Gone, auto-pause); null when running or paused by a user. */
  pauseReason: string | null;
  consecutiveFailures: number;
  failingThreshold: number;
  nextFireAt: string | null;
  stats: {
    total: number;
    successRate: number | null;
    lastSuccess: boolean | null;
    lastExecutionAt: string | null;
  };
  executions: { edges: { node: { id: string; outcome: ExecutionOutcome; durationMs: number } }[] };
}

export interface JobsPageData {
  jobs: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: JobRow }[];
  };
}

export interface JobsPageVariables {
  first: number;
  after: string | null;
  status: JobStatus | null;
  search: string | null;
  trend: number;
}

export const JobsPageQuery = gql<JobsPageData, JobsPageVariables>(`
  query JobsPage($first: Int!, $after: String, $status: JobStatus, $search: String, $trend: Int!) {
    jobs(first: $first, after: $after, status: $status, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          api
          schedule
          timezone
          description
          status
          pauseReason
          consecutiveFailures
          failingThreshold
          nextFireAt
          stats {
            total
            successRate
            lastSuccess
            lastExecutionAt
          }
          executions(first: $trend) {
            edges {
              node {
                id
                outcome
                durationMs
              }
            }
          }
        }
      }
    }
  }
`);

export const JobEventsSubscription = gql<{ jobEvents: { type: string; jobId: string } }>(`
  subscription JobEvents {
    jobEvents {
      type
      jobId
    }
  }
`);
