import type { EventBus } from '../engine/events.ts';
import type { Logger } from '../logger.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The engine's log lines, from its events: every line names the job and the scheduled instant
 * (`jobId`, `scheduledAt`) it is about. Failures at warn, skipped occurrences at info, every
 * execution at debug (at info it would be one line per fire). Returns the unsubscribe.
 */
export function logEngineEvents(events: EventBus, logger: Logger): () => void {
  const offs = [
    events.on('execution:finished', (record) => {
      // One call per fire: build nothing when the line would not be written.
      if (record.success && !logger.isLevelEnabled('debug')) return;
      const line = {
        jobId: record.jobId,
        scheduledAt: iso(record.scheduledAt),
        attempt: record.attempt,
        trigger: record.trigger,
        outcome: record.outcome,
        statusCode: record.statusCode,
        durationMs: record.durationMs,
      };
      if (record.success) logger.debug(line, 'execution succeeded');
      else logger.warn({ ...line, error: record.error }, 'execution failed');
    }),
    events.on('occurrences:skipped', (skip) => {
      logger.info(
        { jobId: skip.jobId, scheduledAt: iso(skip.fromAt), untilScheduledAt: iso(skip.toAt), count: skip.count, reason: skip.reason },
        'occurrences skipped',
      );
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
