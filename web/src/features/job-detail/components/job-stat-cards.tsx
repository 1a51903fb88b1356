import { Countdown } from '../../../components/countdown.tsx';
import { StatCard } from '../../../components/stat-card.tsx';
import { formatDuration } from '../../../utils/format-duration.ts';
import { formatCount, formatPercent } from '../../../utils/format-time.ts';
import type { JobDetail } from '../api/job-detail-documents.ts';

/** The job's headline figures: next fire, success rate, runs and failures, durations. */
export function JobStatCards({ job }: { job: JobDetail }) {
  const { stats } = job;
  const rateTone = stats.successRate === null ? undefined : stats.successRate >= 0.99 ? 'good' : stats.successRate >= 0.9 ? 'warn' : 'bad';
  return (
    <dl className="stats">
      <StatCard
        label="Next fire"
        value={job.status === 'PAUSED' ? 'Paused' : job.nextFireAt ? <Countdown target={job.nextFireAt} timeZone={job.timezone} /> : 'None'}
        detail={job.status === 'ACTIVE' ? job.description : 'Resume to continue the schedule'}
      />
      <StatCard label="Success rate" value={formatPercent(stats.successRate)} tone={rateTone} detail={`${formatCount(stats.successes)} succeeded`} />
      <StatCard label="Runs" value={formatCount(stats.total)} detail={`${formatCount(stats.failures)} failed`} tone={stats.failures > 0 ? 'bad' : undefined} />
      <StatCard
        label="Duration"
        value={stats.meanDurationMs === null ? '–' : formatDuration(stats.meanDurationMs)}
        detail={stats.p95DurationMs === null ? 'mean' : `mean · p95 ${formatDuration(stats.p95DurationMs)}`}
      />
    </dl>
  );
}
