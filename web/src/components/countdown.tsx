import { useNow } from '../hooks/use-now.ts';
import { formatCountdown } from '../utils/format-duration.ts';
import { formatDateTime } from '../utils/format-time.ts';

/** Time left until `target`, ticking every second; the exact instant is in the tooltip. */
export function Countdown({ target, timeZone }: { target: string; timeZone?: string }) {
  const now = useNow(1_000);
  const remaining = new Date(target).getTime() - now;
  return (
    <time className="countdown" dateTime={target} title={formatDateTime(target, { timeZone, withZone: true })}>
      {formatCountdown(remaining)}
    </time>
  );
}
