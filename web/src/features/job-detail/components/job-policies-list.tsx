import { formatDuration } from '../../../utils/format-duration.ts';
import type { JobPolicies } from '../api/job-detail-documents.ts';

const OVERLAP: Record<JobPolicies['overlapPolicy'], string> = {
  ALLOW: 'Run alongside the previous call',
  SKIP: 'Skip while the previous call runs',
  QUEUE_ONE: 'Queue one behind the previous call',
};
const DST_GAP: Record<JobPolicies['dstGap'], string> = { SHIFT: 'shift the fire', SKIP: 'skip the fire' };
const DST_OVERLAP: Record<JobPolicies['dstOverlap'], string> = { FIRST: 'first pass', LAST: 'last pass', BOTH: 'first and last pass' };

function describeMisfires(policies: JobPolicies): string {
  if (policies.misfirePolicy === 'FIRE_ONCE') return 'Run the latest once';
  if (policies.misfirePolicy === 'SKIP') return 'Skip them';
  return `Run each (up to ${policies.catchUpLimit}, missed within ${formatDuration(policies.catchUpWindowMs)})`;
}

function describeAlerts(policies: JobPolicies): string {
  const failures = (count: number) => `${count} ${count === 1 ? 'failure' : 'failures'} in a row`;
  return [
    `Failing after ${failures(policies.failingThreshold)}`,
    policies.autoPauseAfter === null ? 'never auto-paused' : `auto-paused after ${failures(policies.autoPauseAfter)}`,
    policies.lagAlertMs === null ? 'no lag alert' : `lagging above ${formatDuration(policies.lagAlertMs)}`,
  ].join(' · ');
}

/** The job's policies, one line each: misfires, overlaps, DST, success, alerts. */
export function JobPoliciesList({ policies }: { policies: JobPolicies }) {
  return (
    <>
      <h3>Policies</h3>
      <dl className="spec spec--compact">
        <dt>Missed</dt>
        <dd>{describeMisfires(policies)}</dd>
        <dt>Overlap</dt>
        <dd>{OVERLAP[policies.overlapPolicy]}</dd>
        <dt>DST</dt>
        <dd>
          Spring forward: {DST_GAP[policies.dstGap]} · fall back: run on the {DST_OVERLAP[policies.dstOverlap]}
        </dd>
        <dt>Success</dt>
        <dd>
          HTTP <span className="mono">{policies.successCodes}</span>
          {policies.successBodyPattern !== null && (
            <>
              {' '}
              and body matching <code className="mono break">{policies.successBodyPattern}</code>
            </>
          )}
        </dd>
        <dt>Alerts</dt>
        <dd>{describeAlerts(policies)}</dd>
      </dl>
    </>
  );
}
