import { useMutation } from 'urql';
import { useLocation } from 'wouter';
import { PageHeader } from '../../../components/page-header.tsx';
import { errorsByField } from '../../../utils/graphql-errors.ts';
import { CreateJobMutation } from '../api/job-editor-documents.ts';
import { JobForm } from './job-form.tsx';
import { EMPTY_JOB_FORM, toCreateInput, type JobFormValues } from './job-form-values.ts';

/** The "New job" page: the job form, then the new job's page once it is saved. */
export function CreateJobPage() {
  const [, navigate] = useLocation();
  const [, createJob] = useMutation(CreateJobMutation);

  async function save(values: JobFormValues) {
    const result = await createJob({ input: toCreateInput(values) });
    if (result.error || !result.data) return errorsByField(result.error);
    navigate(`/jobs/${encodeURIComponent(result.data.createJob.id)}`);
    return null;
  }

  return (
    <>
      <PageHeader title="New job" subtitle="Call a URL on a cron schedule." />
      <section className="panel">
        <JobForm initial={EMPTY_JOB_FORM} submitLabel="Create job" onSubmit={save} onCancel={() => navigate('/jobs')} />
      </section>
    </>
  );
}
