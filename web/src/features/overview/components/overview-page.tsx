import { Link } from 'wouter';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadingState } from '../../../components/loading-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { StatCard } from '../../../components/stat-card.tsx';
import { formatDuration } from '../../../utils/format-duration.ts';
import { formatCount, formatPercent } from '../../../utils/format-time.ts';
import { describeError } from '../../../utils/graphql-errors.ts';
import { useOverview } from '../api/use-overview.ts';
import { ThroughputPanel } from './throughput-panel.tsx';

function formatLag(ms: number | null): string {
  return ms === null ? '–' : formatDuration(ms);
}

/** The scheduler at a glance: health, throughput, outcomes and fire lag, kept current. */
export function OverviewPage() {
  const { result, refresh, rates } = useOverview();
  const data = result.data;
  if (!data) {
    if (result.error) return <ErrorState title="The server's status could not be loaded" message={describeError(result.error)} onRetry={refresh} />;
    return <LoadingState label="Loading the overview…" />;
  }
  const { health, metrics } = data;
  const healthy = health.status.toUpperCase() === 'OK';
  const successRatio = metrics.totalExecutions === 0 ? null : metrics.successCount / metrics.totalExecutions;

  return (
    <>
      <PageHeader title="Overview" subtitle="How the scheduler is doing right now." />
      {result.error && <p className="banner banner--warning">Showing the last data received: {describeError(result.error)}</p>}
      <dl className="stats">
        <StatCard label="Health" value={healthy ? 'Healthy' : health.status} tone={healthy ? 'good' : 'bad'} detail={`up ${formatDuration(health.uptimeSeconds * 1_000)}`} />
        <StatCard label="Jobs" value={formatCount(metrics.jobs)} detail={<Link href="/jobs">{formatCount(metrics.activeJobs)} active</Link>} />
        <StatCard label="Succeeded" value={formatCount(metrics.successCount)} tone="good" detail={`${formatPercent(successRatio)} of ${formatCount(metrics.totalExecutions)}`} />
        <StatCard label="Failed" value={formatCount(metrics.failureCount)} tone={metrics.failureCount > 0 ? 'bad' : undefined} detail={<Link href="/failures">See failures</Link>} />
      </dl>
      <div className="columns">
        <ThroughputPanel rates={rates} />
        <section className="panel" aria-labelledby="lag-title">
          <h2 id="lag-title">Fire lag</h2>
          <p className="muted small">From the scheduled instant to the call leaving, over recent fires.</p>
          <dl className="stats stats--compact">
            <StatCard label="p50" value={formatLag(metrics.fireLagP50Ms)} />
            <StatCard label="p99" value={formatLag(metrics.fireLagP99Ms)} tone={metrics.fireLagP99Ms !== null && metrics.fireLagP99Ms > 1_000 ? 'warn' : undefined} />
            <StatCard label="max" value={formatLag(metrics.fireLagMaxMs)} />
          </dl>
        </section>
      </div>
      <section className="panel" aria-labelledby="engine-title">
        <h2 id="engine-title">Engine</h2>
        <dl className="stats stats--compact">
          <StatCard label="Fires since start" value={formatCount(metrics.fires)} />
          <StatCard label="Calls in flight" value={formatCount(metrics.inFlight)} />
          <StatCard label="Fires waiting" value={formatCount(metrics.queuedFires)} tone={metrics.queuedFires > 0 ? 'warn' : undefined} />
          <StatCard label="Live subscribers" value={formatCount(metrics.subscribers)} />
          <StatCard label="Events dropped" value={formatCount(metrics.droppedEvents)} tone={metrics.droppedEvents > 0 ? 'warn' : undefined} />
        </dl>
      </section>
    </>
  );
}
