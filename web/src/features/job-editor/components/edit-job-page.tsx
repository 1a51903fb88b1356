import { useMutation, useQuery } from 'urql';
import { Link, useLocation } from 'wouter';
import { EmptyState } from '../../../components/empty-state.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadingState } from '../../../components/loading-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { describeError, errorsByField } from '../../../utils/graphql-errors.ts';
import { EditableJobQuery, UpdateJobMutation, type EditableJob } from '../api/job-editor-documents.ts';
import { JobForm } from './job-form.tsx';
import { formValuesOf, toUpdateInput, type JobFormValues } from './job-form-values.ts';

function EditJobForm({ job }: { job: EditableJob }) {
  const [, navigate] = useLocation();
  const [, updateJob] = useMutation(UpdateJobMutation);
  const jobPath = `/jobs/${encodeURIComponent(job.id)}`;

  async function save(values: JobFormValues) {
    const input = toUpdateInput(job, values);
    if (Object.keys(input).length === 0) {
      navigate(jobPath);
      return null;
    }
    const result = await updateJob({ id: job.id, input });
    if (result.error || !result.data) return errorsByField(result.error);
    navigate(jobPath);
    return null;
  }

  return <JobForm initial={formValuesOf(job)} submitLabel="Save changes" onSubmit={save} onCancel={() => navigate(jobPath)} />;
}

/** The "Edit job" page: the job form filled with the job's spec; saving sends only what changed. */
export function EditJobPage({ jobId }: { jobId: string }) {
  const [result, refetch] = useQuery({ query: EditableJobQuery, variables: { id: jobId }, requestPolicy: 'network-only' });
  const job = result.data?.job;

  return (
    <>
      <PageHeader title="Edit job" subtitle={job ? job.api : undefined} />
      <section className="panel">
        {result.fetching && !result.data && <LoadingState label="Loading the job…" />}
        {result.error && <ErrorState message={describeError(result.error)} onRetry={() => refetch({ requestPolicy: 'network-only' })} />}
        {result.data && !job && (
          <EmptyState title="This job does not exist">
            <p>
              It may have been deleted. <Link href="/jobs">Back to all jobs</Link>
            </p>
          </EmptyState>
        )}
        {job && <EditJobForm key={job.id} job={job} />}
      </section>
    </>
  );
}
