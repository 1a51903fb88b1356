import type { JobView } from '../../service/job-service.ts';
import type { StoredExecution } from '../../store/job-repository.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A job in the documented REST shape. */
export function restJob(job: JobView) {
  return {
    jobId: job.id,
    schedule: job.spec.schedule,
    api: job.spec.api,
    type: job.spec.type,
    nextExecutionTime: iso(job.nextFireAt),
    alertWebhook: job.spec.alertWebhook,
  };
}

/** An execution in the documented REST shape. */
export function restExecution(execution: StoredExecution) {
  return {
    jobId: execution.jobId,
    executionTime: new Date(execution.startedAt).toISOString(),
    statusCode: execution.statusCode,
    durationMs: execution.durationMs,
    success: execution.success,
  };
}
