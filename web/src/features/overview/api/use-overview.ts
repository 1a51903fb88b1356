import { useCallback, useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { appConfig } from '../../../config/app-config.ts';
import { usePolling } from '../../../hooks/use-polling.ts';
import { useOnReconnect } from '../../../lib/connection-context.tsx';
import { OverviewQuery } from './overview-documents.ts';
import { appendSample, ratesOf, type CounterSample } from './throughput.ts';

/**
 * Health and metrics, polled; executions per second are derived from the growth of the
 * execution counter between polls (server instants, so a slow response does not skew them).
 */
export function useOverview() {
  const [result, reexecute] = useQuery({ query: OverviewQuery, variables: {} });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  usePolling(refresh, appConfig.pollIntervalMs);
  useOnReconnect(refresh);

  const [samples, setSamples] = useState<CounterSample[]>([]);
  const data = result.data;
  useEffect(() => {
    if (!data) return;
    const sample = { atMs: Date.parse(data.health.timestamp), total: data.metrics.totalExecutions };
    setSamples((current) => appendSample(current, sample));
  }, [data]);

  return { result, refresh, rates: ratesOf(samples) };
}
