import { useCallback, useState } from 'react';
import { useQuery } from 'urql';
import { appConfig } from '../../../config/app-config.ts';
import { usePolling } from '../../../hooks/use-polling.ts';
import { useOnReconnect } from '../../../lib/connection-context.tsx';
import { RecentFailuresQuery } from './failures-documents.ts';

export const FAILURES_SHOWN = 100;

/**
 * The newest failures across all jobs, refreshed every poll interval. Polling, not the all-jobs
 * event feed: at thousands of fires a second that feed would flood the browser, while this query
 * reads the failures index once per interval whatever the rate.
 */
export function useRecentFailures() {
  const [result, reexecute] = useQuery({ query: RecentFailuresQuery, variables: { first: FAILURES_SHOWN } });
  const [checkedAt, setCheckedAt] = useState(() => new Date().toISOString());
  const refresh = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
    setCheckedAt(new Date().toISOString());
  }, [reexecute]);
  usePolling(refresh, appConfig.pollIntervalMs);
  useOnReconnect(refresh);
  return { result, refresh, checkedAt };
}
