import { useCallback, useEffect, useMemo } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useThrottledCallback } from '../../../hooks/use-throttled-callback.ts';
import { useOnReconnect } from '../../../lib/connection-context.tsx';
import { ALERTS_SHOWN, JobAlertsQuery, JobDetailQuery, JobExecutionEventsSubscription, JobExecutionsQuery, type ExecutionEvent } from './job-detail-documents.ts';
import { applyExecutionEvent, fromStored, mergeLiveExecutions, type ExecutionItem } from './live-executions.ts';

export const HISTORY_PAGE_SIZE = 50;

/**
 * A job, its recent alerts and the newest page of its history, live: each execution event shows
 * at once as a row, and an outcome refetches the job's stats, its alerts and the stored history
 * (at most once a second), which then replaces the live rows. After the feed reconnects
 * everything is refetched.
 */
export function useJobDetail(jobId: string) {
  const [job, reexecuteJob] = useQuery({ query: JobDetailQuery, variables: { id: jobId } });
  const [history, reexecuteHistory] = useQuery({ query: JobExecutionsQuery, variables: { jobId, first: HISTORY_PAGE_SIZE, after: null } });
  const [alerts, reexecuteAlerts] = useQuery({ query: JobAlertsQuery, variables: { id: jobId, first: ALERTS_SHOWN } });
  const [feed] = useSubscription<{ executionEvents: ExecutionEvent }, ExecutionItem[], { jobId: string }>(
    { query: JobExecutionEventsSubscription, variables: { jobId } },
    (live = [], data) => applyExecutionEvent(live, data.executionEvents),
  );

  const refresh = useCallback(() => {
    reexecuteJob({ requestPolicy: 'network-only' });
    reexecuteHistory({ requestPolicy: 'network-only' });
    reexecuteAlerts({ requestPolicy: 'network-only' });
  }, [reexecuteJob, reexecuteHistory, reexecuteAlerts]);
  const refreshSoon = useThrottledCallback(refresh, 1_000);
  const newest = feed.data?.[0];
  useEffect(() => {
    if (newest && newest.outcome !== 'RUNNING') refreshSoon();
  }, [newest, refreshSoon]);
  useOnReconnect(refresh);

  const page = history.data?.executions;
  const executions = useMemo(() => {
    const stored = (page?.edges ?? []).map((edge) => fromStored(edge.node));
    return mergeLiveExecutions(stored, feed.data ?? [], page?.pageInfo.hasNextPage ?? false);
  }, [page, feed.data]);

  return {
    job,
    history,
    alerts,
    executions,
    olderCursor: page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
    refresh,
  };
}
