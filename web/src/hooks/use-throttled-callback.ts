import { useCallback, useEffect, useRef } from 'react';

/**
 * A function that calls `callback` at most once per `intervalMs`: the first call runs at once,
 * later ones within the interval collapse into one trailing call. Live events use it to refetch
 * without a request per event.
 */
export function useThrottledCallback(callback: () => void, intervalMs: number): () => void {
  const latest = useRef(callback);
  latest.current = callback;
  const lastRun = useRef(0);
  const trailing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(trailing.current), []);

  return useCallback(() => {
    if (trailing.current !== undefined) return;
    const wait = lastRun.current + intervalMs - Date.now();
    if (wait <= 0) {
      lastRun.current = Date.now();
      latest.current();
      return;
    }
    trailing.current = setTimeout(() => {
      trailing.current = undefined;
      lastRun.current = Date.now();
      latest.current();
    }, wait);
  }, [intervalMs]);
}
