/** What a job's health depends on: its status, why the service paused it, and its failure streak. */
export interface JobHealthFacts {
  status: 'ACTIVE' | 'PAUSED';
  pauseReason: string | null;
  consecutiveFailures: number;
  failingThreshold: number;
}

/**
 * A job that needs attention: GONE (the target answered 410 Gone, so the service paused it),
 * AUTO_PAUSED (paused after too many failures in a row), SERVICE_PAUSED (paused by the service
 * for another reason), FAILING (still firing, but failing at least `failingThreshold` times in a row).
 */
export type JobHealthKind = 'GONE' | 'AUTO_PAUSED' | 'SERVICE_PAUSED' | 'FAILING';

export interface JobHealth {
  kind: JobHealthKind;
  label: string;
  /** A sentence for the tooltip and for screen readers. */
  explanation: string;
}

/** Reads the service's reason ("410 Gone from …", "auto-paused after 5 consecutive failures (last: …)"). */
function pausedBy(reason: string): JobHealthKind {
  if (/^auto-pause|consecutive failures/i.test(reason)) return 'AUTO_PAUSED';
  if (/\b410\b|\bgone\b/i.test(reason)) return 'GONE';
  return 'SERVICE_PAUSED';
}

const LABELS: Record<JobHealthKind, string> = {
  GONE: 'Gone',
  AUTO_PAUSED: 'Auto-paused',
  SERVICE_PAUSED: 'Paused by the service',
  FAILING: 'Failing',
};

/** The job's health when it needs attention; null when it is fine (or paused by a user). */
export function jobHealthOf(job: JobHealthFacts): JobHealth | null {
  if (job.pauseReason !== null && job.pauseReason !== '') {
    const kind = pausedBy(job.pauseReason);
    return { kind, label: LABELS[kind], explanation: `Paused by the service: ${job.pauseReason}` };
  }
  if (job.status === 'ACTIVE' && job.consecutiveFailures >= job.failingThreshold) {
    return { kind: 'FAILING', label: LABELS.FAILING, explanation: `${job.consecutiveFailures} failures in a row (alert threshold ${job.failingThreshold})` };
  }
  return null;
}
