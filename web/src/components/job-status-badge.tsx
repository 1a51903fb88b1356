/** A job's status as a coloured badge: Active or Paused. */
export function JobStatusBadge({ status }: { status: 'ACTIVE' | 'PAUSED' }) {
  return <span className={`badge badge--${status === 'ACTIVE' ? 'active' : 'paused'}`}>{status === 'ACTIVE' ? 'Active' : 'Paused'}</span>;
}
