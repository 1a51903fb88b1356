import { useCallback, useEffect, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { appConfig } from '../../../config/app-config.ts';
import { usePolling } from '../../../hooks/use-polling.ts';
import { useThrottledCallback } from '../../../hooks/use-throttled-callback.ts';
import { useOnReconnect } from '../../../lib/connection-context.tsx';
import { JobEventsSubscription, JobsPageQuery, TREND_LENGTH, type JobStatus } from './jobs-documents.ts';
import { currentCursor, FIRST_PAGE, nextPage, pageNumber, previousPage } from './page-cursors.ts';

export const JOBS_PAGE_SIZE = 25;

/**
 * One page of the job list, kept fresh: refetched when a job is created, changed or deleted
 * (jobEvents), every few seconds for stats and next fires, and after the live feed reconnects.
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
