import { EmptyState } from '../../../components/empty-state.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadingState } from '../../../components/loading-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { TimeAgo } from '../../../components/time-ago.tsx';
import { describeError } from '../../../utils/graphql-errors.ts';
import { FAILURES_SHOWN, useRecentFailures } from '../api/use-recent-failures.ts';
import { FailureCard } from './failure-card.tsx';

/** Recent failures across all jobs, newest first, kept current. */
export function FailuresPage() {
  const { result, refresh, checkedAt } = useRecentFailures();
  const failures = result.data?.executions.edges.map((edge) => edge.node);

  return (
    <>
      <PageHeader
        title="Failures"
        subtitle={
          <>
            The newest {FAILURES_SHOWN} failed executions across all jobs · checked <TimeAgo at={checkedAt} />
          </>
        }
      />
      <section className="panel" aria-label="Recent failures">
        {failures === undefined ? (
          result.error ? (
            <ErrorState title="Failures could not be loaded" message={describeError(result.error)} onRetry={refresh} />
          ) : (
            <LoadingState label="Loading failures…" />
          )
        ) : failures.length === 0 ? (
          <EmptyState title="No failures">
            <p>Every recorded execution succeeded. Failures show up here within seconds.</p>
          </EmptyState>
        ) : (
          <>
            {result.error && <p className="banner banner--warning">Showing the last data received: {describeError(result.error)}</p>}
            <ol className="failures">
              {failures.map((failure) => (
                <FailureCard key={failure.id} failure={failure} />
              ))}
            </ol>
          </>
        )}
      </section>
    </>
  );
}
