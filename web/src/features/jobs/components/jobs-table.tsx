import type { JobRow as JobRowData } from '../api/jobs-documents.ts';
import { JobRow } from './job-row.tsx';

/** The jobs of one page, newest first. */
export function JobsTable({ jobs, busy }: { jobs: JobRowData[]; busy: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table table--cards" aria-busy={busy}>
        <caption className="visually-hidden">Jobs</caption>
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Schedule</th>
            <th scope="col">Status</th>
            <th scope="col">Next fire</th>
            <th scope="col">Last run</th>
            <th scope="col" className="numeric">
              Success rate
            </th>
            <th scope="col">Recent runs</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
