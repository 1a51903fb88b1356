import { useNow } from '../../../hooks/use-now.ts';
import { useConnectionState } from '../../../lib/connection-context.tsx';
import { formatAgo } from '../../../utils/format-duration.ts';
import { liveLabel } from './live-label.ts';

/** The live feed's state in the header: a coloured dot and words, announced when it changes. */
export function ConnectionIndicator() {
  const state = useConnectionState();
  const now = useNow(1_000);
  const label = liveLabel(state.phase);
  const detail = state.phase === 'connected' ? undefined : `since ${formatAgo(now - state.since).replace(' ago', '')}`;
  return (
    <div className={`live live--${state.phase}`} role="status" title={detail === undefined ? label : `${label} (${detail})`}>
      <span className="live__dot" aria-hidden="true" />
      <span className="live__label">{label}</span>
    </div>
  );
}
