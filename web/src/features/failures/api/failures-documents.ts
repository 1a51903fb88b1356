import { gql } from '@urql/core';
import type { ExecutionTrigger } from '../../../utils/execution-labels.ts';

export interface Failure {
  id: string;
  jobId: string;
  job: { id: string; api: string; description: string } | null;
  scheduledAt: string;
  startedAt: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  attempt: number;
  trigger: ExecutionTrigger;
}

export const RecentFailuresQuery = gql<{ executions: { edges: { node: Failure }[] } }, { first: number }>(`
  query RecentFailures($first: Int!) {
    executions(first: $first, outcome: FAILED) {
      edges {
        node {
          id
          jobId
          job {
            id
            api
            description
          }
          scheduledAt
          startedAt
          statusCode
          durationMs
          error
          attempt
          trigger
        }
      }
    }
  }
`);
