import { jobHealthOf, type JobHealthFacts } from '../../../utils/job-health.ts';

/** Says loudly that the service paused the job (410 Gone, auto-pause), why, and what to do. */
export function ServicePauseBanner({ job }: { job: JobHealthFacts }) {
  const health = jobHealthOf(job);
  if (job.pauseReason === null || !health) return null;
  return (
    <div className={`banner banner--${health.kind === 'SERVICE_PAUSED' ? 'warning' : 'error'} service-pause`} data-health={health.kind}>
      <p>
        <strong>{health.label}: the service paused this job.</strong> {job.pauseReason}
      </p>
      <p>Fix the target (or the job), then resume it; the misfire policy decides what happens to the occurrences missed meanwhile.</p>
    </div>
  );
}
