import { jobHealthOf, type JobHealthFacts } from '../utils/job-health.ts';

/** A red badge when the job needs attention (failing, gone, auto-paused); nothing when it is fine. */
export function JobHealthBadge({ job }: { job: JobHealthFacts }) {
  const health = jobHealthOf(job);
  if (!health) return null;
  const tone = health.kind === 'SERVICE_PAUSED' ? 'paused' : 'failure';
  return (
    <span className={`badge badge--${tone} badge--health`} data-health={health.kind} title={health.explanation}>
      {health.label}
      <span className="visually-hidden">: {health.explanation}</span>
    </span>
  );
}
