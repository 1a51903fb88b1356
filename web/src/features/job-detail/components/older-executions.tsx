import { useState } from 'react';
import { useQuery } from 'urql';
import { describeError } from '../../../utils/graphql-errors.ts';
import { JobExecutionsQuery } from '../api/job-detail-documents.ts';
import { fromStored } from '../api/live-executions.ts';
import { HISTORY_PAGE_SIZE } from '../api/use-job-detail.ts';
import { ExecutionRow } from './execution-row.tsx';

const COLUMNS = 6;

/** A "Load older" button that, once pressed, shows the next page of history and its own button. */
export function OlderExecutions({ jobId, after }: { jobId: string; after: string }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <tbody>
        <tr className="row--action">
          <td colSpan={COLUMNS}>
            <button type="button" className="button" onClick={() => setOpen(true)}>
              Load older executions
            </button>
          </td>
        </tr>
      </tbody>
    );
  }
  return <OlderExecutionsPage jobId={jobId} after={after} />;
}

function OlderExecutionsPage({ jobId, after }: { jobId: string; after: string }) {
  const [result, reexecute] = useQuery({ query: JobExecutionsQuery, variables: { jobId, first: HISTORY_PAGE_SIZE, after } });
  const page = result.data?.executions;
  if (!page) {
    return (
      <tbody>
        <tr className="row--action">
          <td colSpan={COLUMNS} role={result.error ? 'alert' : 'status'}>
            {result.error ? (
              <>
                {describeError(result.error)}{' '}
                <button type="button" className="button" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
                  Try again
                </button>
              </>
            ) : (
              'Loading older executions…'
            )}
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <>
      <tbody>
        {page.edges.map((edge) => (
          <ExecutionRow key={edge.node.id} execution={fromStored(edge.node)} />
        ))}
      </tbody>
      {page.pageInfo.hasNextPage && page.pageInfo.endCursor && <OlderExecutions jobId={jobId} after={page.pageInfo.endCursor} />}
    </>
  );
}
