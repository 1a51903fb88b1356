/** An execution's outcome as a badge, with the HTTP status when there was one. */
export function OutcomeBadge({ success, statusCode }: { success: boolean | null; statusCode?: number | null }) {
  if (success === null) return <span className="badge badge--none">No runs yet</span>;
  const label = success ? 'Succeeded' : 'Failed';
  return (
    <span className={`badge badge--${success ? 'success' : 'failure'}`}>
      {label}
      {statusCode !== undefined && statusCode !== null && <span className="badge__detail"> · {statusCode}</span>}
    </span>
  );
}
