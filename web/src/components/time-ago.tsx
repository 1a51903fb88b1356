import { useNow } from '../hooks/use-now.ts';
import { formatAgo } from '../utils/format-duration.ts';
import { formatDateTime } from '../utils/format-time.ts';

/** How long ago `at` was, kept current; the exact instant is in the tooltip. */
export function TimeAgo({ at }: { at: string }) {
  const now = useNow(1_000);
  return (
    <time dateTime={at} title={formatDateTime(at, { withZone: true })}>
      {formatAgo(Math.max(0, now - new Date(at).getTime()))}
    </time>
  );
}
