import type { ReactNode } from 'react';
import type { ExecutionItem } from '../api/live-executions.ts';
import { ExecutionRow } from './execution-row.tsx';
import { OlderExecutions } from './older-executions.tsx';

interface ExecutionHistoryProps {
  jobId: string;
  executions: readonly ExecutionItem[];
  olderCursor: string | null;
  /** Shown instead of the table when there are no executions (loading, error or empty). */
  placeholder: ReactNode;
}

/** Every execution of the job, newest first; new ones appear live at the top. */
export function ExecutionHistory({ jobId, executions, olderCursor, placeholder }: ExecutionHistoryProps) {
  return (
    <section className="panel" aria-labelledby="execution-history-title">
      <div className="panel__head">
        <h2 id="execution-history-title">Executions</h2>
        <span className="muted small">Newest first · updates live</span>
      </div>
      {executions.length === 0 ? (
        placeholder
      ) : (
        <div className="table-wrap">
          <table className="table table--cards" aria-labelledby="execution-history-title">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Outcome</th>
                <th scope="col" className="numeric">
                  Duration
                </th>
                <th scope="col" className="numeric">
                  Lag
                </th>
                <th scope="col">Trigger</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {executions.map((execution) => (
                <ExecutionRow key={execution.key} execution={execution} />
              ))}
            </tbody>
            {olderCursor && <OlderExecutions jobId={jobId} after={olderCursor} />}
          </table>
        </div>
      )}
    </section>
  );
}
