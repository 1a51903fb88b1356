import { EmptyState } from '../../../components/empty-state.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadingState } from '../../../components/loading-state.tsx';
import { TimeAgo } from '../../../components/time-ago.tsx';
import { formatDateTime } from '../../../utils/format-time.ts';
import type { AlertDelivery, AlertEvent } from '../api/job-detail-documents.ts';

const EVENT: Record<AlertEvent, { label: string; tone: string }> = {
  JOB_FAILED: { label: 'Execution failed', tone: 'failure' },
  JOB_FAILING: { label: 'Failing', tone: 'failure' },
  JOB_RECOVERED: { label: 'Recovered', tone: 'success' },
  JOB_MISSED: { label: 'Missed occurrence', tone: 'failure' },
  JOB_LAGGING: { label: 'Lagging', tone: 'paused' },
  JOB_AUTO_PAUSED: { label: 'Auto-paused', tone: 'failure' },
};

interface JobAlertsPanelProps {
  alerts: readonly AlertDelivery[] | undefined;
  /** A sentence when the alerts could not be loaded. */
  error: string | null;
  hasWebhook: boolean;
  onRetry: () => void;
}

function Delivery({ alert }: { alert: AlertDelivery }) {
  const status = alert.statusCode === null ? '' : ` · HTTP ${alert.statusCode}`;
  if (alert.success) return <span className="alert__delivery alert__delivery--ok">Delivered{status}</span>;
  return (
    <span className="alert__delivery alert__delivery--failed">
      Not delivered{status}
      {alert.error !== null && <span className="alert__error"> · {alert.error}</span>}
    </span>
  );
}

/** The alerts sent for this job, newest first: what happened, when, and whether the webhook took it. */
export function JobAlertsPanel({ alerts, error, hasWebhook, onRetry }: JobAlertsPanelProps) {
  return (
    <section className="panel" aria-labelledby="job-alerts-title">
      <div className="panel__head">
        <h2 id="job-alerts-title">Alerts</h2>
        <span className="muted small">Newest first</span>
      </div>
      {error !== null ? (
        <ErrorState title="The alerts could not be loaded" message={error} onRetry={onRetry} />
      ) : alerts === undefined ? (
        <LoadingState label="Loading alerts…" />
      ) : alerts.length === 0 ? (
        <EmptyState title="No alerts sent">
          <p>{hasWebhook ? 'Failures, recoveries, missed occurrences and lag are posted to the alert webhook.' : 'This job has no alert webhook; edit it to add one.'}</p>
        </EmptyState>
      ) : (
        <ul className="alerts" aria-labelledby="job-alerts-title">
          {alerts.map((alert) => (
            <li key={alert.id} className={`alert${alert.success ? '' : ' alert--undelivered'}`}>
              <div className="alert__head">
                <span className={`badge badge--${EVENT[alert.event].tone}`}>{EVENT[alert.event].label}</span>
                <span className="muted small">
                  <TimeAgo at={alert.sentAt} /> · {formatDateTime(alert.sentAt)}
                </span>
              </div>
              <Delivery alert={alert} />
              <div className="muted small mono break">{alert.url}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
