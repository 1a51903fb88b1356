import { useCallback } from 'react';
import { Link, useSearchParams } from 'wouter';
import { EmptyState } from '../../../components/empty-state.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadingState } from '../../../components/loading-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { describeError } from '../../../utils/graphql-errors.ts';
import type { JobStatus } from '../api/jobs-documents.ts';
import { JOBS_PAGE_SIZE, useJobsPage } from '../api/use-jobs-page.ts';
import { JobsPager } from './jobs-pager.tsx';
import { JobsTable } from './jobs-table.tsx';
import { JobsToolbar } from './jobs-toolbar.tsx';

function parseStatus(value: string | null): JobStatus | null {
  return value === 'ACTIVE' || value === 'PAUSED' ? value : null;
}

function JobsList({ search, status }: { search: string; status: JobStatus | null }) {
  const { result, refresh, page, goNext, goPrevious } = useJobsPage({ search, status });
  const connection = result.data?.jobs;
  if (!connection) {
    if (result.error) return <ErrorState title="Jobs could not be loaded" message={describeError(result.error)} onRetry={refresh} />;
    return <LoadingState label="Loading jobs…" />;
  }
  if (connection.totalCount === 0 && page === 1) {
    const filtered = search !== '' || status !== null;
    return (
      <EmptyState title={filtered ? 'No job matches these filters' : 'No jobs yet'}>
        {filtered ? (
          <p>Try another search or status.</p>
        ) : (
          <p>
            <Link className="button button--primary" href="/jobs/new">
              Create the first job
            </Link>
          </p>
        )}
      </EmptyState>
    );
  }
  const jobs = connection.edges.map((edge) => edge.node);
  return (
    <>
      {result.error && <p className="banner banner--warning">Showing the last data received: {describeError(result.error)}</p>}
      <JobsTable jobs={jobs} busy={result.fetching} />
      <JobsPager page={page} pageSize={JOBS_PAGE_SIZE} shown={jobs.length} total={connection.totalCount} onPrevious={goPrevious} onNext={goNext} />
    </>
  );
}

/** All jobs: a searchable, filterable, paginated table that stays current. */
export function JobsPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const status = parseStatus(params.get('status'));

  const setParam = useCallback(
    (name: string, value: string | null) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (value === null || value === '') next.delete(name);
        else next.set(name, value);
        return next;
      }),
    [setParams],
  );

  return (
    <>
      <PageHeader
        title="Jobs"
        subtitle="Every scheduled call, its next fire and how it has been doing."
        actions={
          <Link className="button button--primary" href="/jobs/new">
            New job
          </Link>
        }
      />
      <section className="panel">
        <JobsToolbar search={search} status={status} onSearch={(value) => setParam('q', value)} onStatus={(value) => setParam('status', value)} />
        <JobsList key={`${search}|${status ?? ''}`} search={search} status={status} />
      </section>
    </>
  );
}
