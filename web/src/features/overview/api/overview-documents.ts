import { gql } from '@urql/core';

export interface OverviewData {
  health: { status: string; uptimeSeconds: number; activeJobs: number; timestamp: string };
  metrics: {
    totalExecutions: number;
    successCount: number;
    failureCount: number;
    jobs: number;
    activeJobs: number;
    fires: number;
    inFlight: number;
    queuedFires: number;
    fireLagP50Ms: number | null;
    fireLagP99Ms: number | null;
    fireLagMaxMs: number | null;
    subscribers: number;
    droppedEvents: number;
  };
}

export const OverviewQuery = gql<OverviewData, Record<string, never>>(`
  query Overview {
    health {
      status
      uptimeSeconds
      activeJobs
      timestamp
    }
    metrics {
      totalExecutions
      successCount
      failureCount
      jobs
      activeJobs
      fires
      inFlight
      queuedFires
      fireLagP50Ms
      fireLagP99Ms
      fireLagMaxMs
      subscribers
      droppedEvents
    }
  }
`);
