import { Link } from 'wouter';
import { EmptyState } from '../../../components/empty-state.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { JobStatusBadge } from '../../../components/job-status-badge.tsx';
import { LoadingState } from '../../../components/loading-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { describeError } from '../../../utils/graphql-errors.ts';
import { useJobDetail } from '../api/use-job-detail.ts';
import { ExecutionChart } from './execution-chart.tsx';
import { ExecutionHistory } from './execution-history.tsx';
import { JobActions } from './job-actions.tsx';
import { JobSpecPanel } from './job-spec-panel.tsx';
import { JobStatCards } from './job-stat-cards.tsx';

/** One job: its figures, spec, actions, a chart of recent runs and its live execution history. */
export function JobDetailPage({ jobId }: { jobId: string }) {
  const { job: jobResult, history, executions, olderCursor, refresh } = useJobDetail(jobId);
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
            <JobStatusBadge status={job.status} /> <code className="mono">{job.schedule}</code> · {job.description}
            {job.timezone !== 'UTC' && ` (${job.timezone})`}
          </>
        }
        actions={<JobActions jobId={job.id} status={job.status} target={job.api} />}
      />
      <JobStatCards job={job} />
      <div className="columns">
        <ExecutionChart executions={chartData} />
        <JobSpecPanel job={job} />
      </div>
      <ExecutionHistory jobId={job.id} executions={executions} olderCursor={olderCursor} placeholder={historyPlaceholder} />
    </>
  );
}
