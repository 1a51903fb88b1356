import { Link } from 'wouter';
import { EmptyState } from '../../../components/empty-state.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { JobHealthBadge } from '../../../components/job-health-badge.tsx';
import { JobStatusBadge } from '../../../components/job-status-badge.tsx';
import { LoadingState } from '../../../components/loading-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { describeError } from '../../../utils/graphql-errors.ts';
import { useJobDetail } from '../api/use-job-detail.ts';
import { ExecutionChart } from './execution-chart.tsx';
import { ExecutionHistory } from './execution-history.tsx';
import { JobActions } from './job-actions.tsx';
import { JobAlertsPanel } from './job-alerts-panel.tsx';
import { JobSpecPanel } from './job-spec-panel.tsx';
import { JobStatCards } from './job-stat-cards.tsx';
import { OccurrenceAuditPanel } from './occurrence-audit-panel.tsx';
import { ServicePauseBanner } from './service-pause-banner.tsx';

/**
 * One job: its health, figures, spec and policies, actions, a chart of recent runs, its live
 * execution history, an audit of its occurrences with backfill, and the alerts sent for it.
 */
export function JobDetailPage({ jobId }: { jobId: string }) {
  const { job: jobResult, history, alerts, executions, olderCursor, refresh } = useJobDetail(jobId);
  const job = jobResult.data?.job;

  if (!jobResult.data) {
    if (jobResult.error) return <ErrorState title="This job could not be loaded" message={describeError(jobResult.error)} onRetry={refresh} />;
    return <LoadingState label="Loading the job…" />;
  }
  if (!job) {
    return (
      <EmptyState title="This job does not exist">
        <p>
          It may have been deleted. <Link href="/jobs">See all jobs</Link>
        </p>
      </EmptyState>
    );
  }

  const chartData = executions.flatMap((execution) =>
    execution.outcome === 'RUNNING' ? [] : [{ startedAt: execution.startedAt, durationMs: execution.durationMs ?? 0, outcome: execution.outcome }],
  );
  const historyPlaceholder = history.error ? (
    <ErrorState title="The history could not be loaded" message={describeError(history.error)} onRetry={refresh} />
  ) : history.fetching && !history.data ? (
    <LoadingState label="Loading executions…" />
  ) : (
    <EmptyState title="No executions yet">
      <p>{job.status === 'ACTIVE' ? 'They appear here as soon as the job fires.' : 'The job is paused; resume it or run it now.'}</p>
    </EmptyState>
  );

  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/jobs">Jobs</Link> <span aria-hidden="true">/</span> <span aria-current="page">Job</span>
      </nav>
      <PageHeader
        title={<span className="break">{job.api}</span>}
        subtitle={
          <>
            <JobStatusBadge status={job.status} /> <JobHealthBadge job={job} /> <code className="mono">{job.schedule}</code> · {job.description}
            {job.timezone !== 'UTC' && ` (${job.timezone})`}
          </>
        }
        actions={<JobActions jobId={job.id} status={job.status} target={job.api} />}
      />
      <ServicePauseBanner job={job} />
      <JobStatCards job={job} />
      <div className="columns">
        <ExecutionChart executions={chartData} />
        <JobSpecPanel job={job} />
      </div>
      <ExecutionHistory jobId={job.id} executions={executions} olderCursor={olderCursor} placeholder={historyPlaceholder} />
      <div className="columns">
        <OccurrenceAuditPanel jobId={job.id} />
        <JobAlertsPanel
          alerts={alerts.data?.job?.alerts}
          error={alerts.error ? describeError(alerts.error) : null}
          hasWebhook={job.alertWebhook !== null}
          onRetry={refresh}
        />
      </div>
    </>
  );
}
