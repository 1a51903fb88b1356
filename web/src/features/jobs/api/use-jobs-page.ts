import { useCallback, useEffect, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { appConfig } from '../../../config/app-config.ts';
import { usePolling } from '../../../hooks/use-polling.ts';
import { useThrottledCallback } from '../../../hooks/use-throttled-callback.ts';
import { useOnReconnect } from '../../../lib/connection-context.tsx';
import { JobEventsSubscription, JobsPageQuery, TREND_LENGTH, type JobRow, type JobStatus } from './jobs-documents.ts';
import { currentCursor, FIRST_PAGE, nextPage, pageNumber, previousPage } from './page-cursors.ts';

export const JOBS_PAGE_SIZE = 25;
/** Refetch this long after a shown job's fire, once its outcome is likely recorded. */
const AFTER_FIRE_MS = 500;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The earliest next fire among active jobs, in ms, or null when none fires. */
export function earliestFire(jobs: readonly Pick<JobRow, 'status' | 'nextFireAt'>[]): number | null {
  const due = jobs.filter((job) => job.status === 'ACTIVE' && job.nextFireAt !== null).map((job) => Date.parse(job.nextFireAt!));
  return due.length === 0 ? null : Math.min(...due);
}

/**
 * One page of the job list, kept fresh: refetched when a job is created, changed or deleted
 * (jobEvents), just after the earliest shown fire (at most once a second), every few seconds for
 * stats, and after the live feed reconnects.
 * Callers remount it (key) when the filter changes, which starts again at the first page.
 */
export function useJobsPage(filter: { search: string; status: JobStatus | null }) {
  const [cursors, setCursors] = useState(FIRST_PAGE);
  const [result, reexecute] = useQuery({
    query: JobsPageQuery,
    variables: {
      first: JOBS_PAGE_SIZE,
      after: currentCursor(cursors),
      status: filter.status,
      search: filter.search === '' ? null : filter.search,
      trend: TREND_LENGTH,
    },
  });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const refreshSoon = useThrottledCallback(refresh, 1_000);
  const [events] = useSubscription({ query: JobEventsSubscription });
  useEffect(() => {
    if (events.data) refreshSoon();
  }, [events.data, refreshSoon]);
  usePolling(refresh, appConfig.pollIntervalMs * 2);
  const nextDue = earliestFire(result.data?.jobs.edges.map((edge) => edge.node) ?? []);
  useEffect(() => {
    if (nextDue === null) return;
    const timer = setTimeout(refreshSoon, Math.min(MAX_TIMER_MS, Math.max(0, nextDue - Date.now()) + AFTER_FIRE_MS));
    return () => clearTimeout(timer);
  }, [nextDue, refreshSoon]);
  useOnReconnect(refresh);

  const endCursor = result.data?.jobs.pageInfo.endCursor ?? null;
  const hasNext = result.data?.jobs.pageInfo.hasNextPage ?? false;
  return {
    result,
    refresh,
    page: pageNumber(cursors),
    goNext: hasNext && endCursor !== null ? () => setCursors((current) => nextPage(current, endCursor)) : undefined,
    goPrevious: pageNumber(cursors) > 1 ? () => setCursors(previousPage) : undefined,
  };
}
