import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestClient, type GraphqlHandler } from '../../../testing/test-client.ts';
import type { AlertDelivery, ExecutionEvent, JobDetail, StoredExecution } from '../api/job-detail-documents.ts';
import { SNIPPET_SHOWN } from './execution-row.tsx';
import { JobDetailPage } from './job-detail-page.tsx';

const JOB: JobDetail = {
  id: 'job-1',
  api: 'https://api.example.com/tick',
  schedule: '*/5 * * * * *',
  timezone: 'UTC',
  type: 'ATLEAST_ONCE',
  alertWebhook: null,
  timeoutMs: 30_000,
  maxAttempts: 3,
  status: 'ACTIVE',
  pauseReason: null,
  consecutiveFailures: 0,
  misfirePolicy: 'FIRE_ONCE',
  catchUpLimit: 100,
  catchUpWindowMs: 3_600_000,
  overlapPolicy: 'ALLOW',
  dstGap: 'SHIFT',
  dstOverlap: 'FIRST',
  successCodes: '200-299',
  successBodyPattern: null,
  failingThreshold: 3,
  autoPauseAfter: null,
  lagAlertMs: null,
  description: 'Every 5 seconds',
  nextFireAt: new Date(Date.now() + 5_000).toISOString(),
  nextFireTimes: [],
  createdAt: '2026-11-26T21:00:00.000Z',
  updatedAt: '2026-11-26T21:00:00.000Z',
  stats: { total: 1, successes: 1, failures: 0, successRate: 1, meanDurationMs: 12, p95DurationMs: 12, lastExecutionAt: null, lastSuccess: true },
};

const STORED: StoredExecution = {
  id: 'e1',
  scheduledAt: '2026-11-26T22:00:00.000Z',
  startedAt: '2026-11-26T22:00:00.002Z',
  lagMs: 2,
  statusCode: 200,
  durationMs: 12,
  outcome: 'SUCCEEDED',
  error: null,
  attempt: 1,
  trigger: 'SCHEDULE',
  responseSnippet: null,
};

function failedEvent(type: ExecutionEvent['type']): ExecutionEvent {
  return {
    type,
    jobId: 'job-1',
    scheduledAt: '2026-11-26T22:00:05.000Z',
    startedAt: '2026-11-26T22:00:05.001Z',
    trigger: 'SCHEDULE',
    attempt: 1,
    statusCode: type === 'STARTED' ? null : 503,
    durationMs: type === 'STARTED' ? null : 40,
    error: type === 'STARTED' ? null : 'HTTP 503 Service Unavailable',
  };
}

/** A retry after a crash, and an at-most-once call whose outcome was lost. */
const RECOVERED: StoredExecution = {
  ...STORED,
  id: 'e2',
  scheduledAt: '2026-11-26T21:59:55.000Z',
  startedAt: '2026-11-26T21:59:58.000Z',
  lagMs: 3_000,
  statusCode: 503,
  outcome: 'FAILED',
  error: 'HTTP 503 Service Unavailable',
  attempt: 2,
  trigger: 'RECOVERY',
};
const UNKNOWN: StoredExecution = {
  ...STORED,
  id: 'e3',
  scheduledAt: '2026-11-26T21:59:50.000Z',
  startedAt: '2026-11-26T21:59:50.000Z',
  lagMs: 0,
  statusCode: null,
  durationMs: 0,
  outcome: 'UNKNOWN',
  error: 'outcome unknown: the service stopped while this at-most-once call may have been in flight; it is not sent again',
};

const ALERTS: AlertDelivery[] = [
  { id: 'a2', event: 'JOB_AUTO_PAUSED', url: 'https://hooks.example.com/z', sentAt: '2026-11-26T22:10:00.000Z', statusCode: null, success: false, error: 'connect ECONNREFUSED 127.0.0.1:9' },
  { id: 'a1', event: 'JOB_FAILING', url: 'https://hooks.example.com/z', sentAt: '2026-11-26T22:05:00.000Z', statusCode: 204, success: true, error: null },
];

function renderDetail(stored: StoredExecution[] = [STORED], overrides: Record<string, GraphqlHandler> = {}, initial: JobDetail = JOB) {
  let job = initial;
  const test = createTestClient({
    JobDetail: () => ({ data: { job: { __typename: 'Job', ...job } } }),
    JobExecutions: () => ({ data: { executions: { pageInfo: { hasNextPage: false, endCursor: null }, edges: stored.map((node) => ({ cursor: node.id, node })) } } }),
    PauseJob: () => {
      job = { ...job, status: 'PAUSED' };
      return { data: { pauseJob: { __typename: 'Job', ...job } } };
    },
    DeleteJob: () => ({ data: { deleteJob: { id: 'job-1' } } }),
    JobAlerts: () => ({ data: { job: { __typename: 'Job', id: 'job-1', alerts: [] } } }),
    ...overrides,
  });
  const location = memoryLocation({ path: '/jobs/job-1', record: true });
  render(
    <Provider value={test.client}>
      <Router hook={location.hook}>
        <JobDetailPage jobId="job-1" />
      </Router>
    </Provider>,
  );
  const callsOf = (name: string) => test.calls.filter((call) => call.operationName === name).length;
  return { ...test, callsOf, location, user: userEvent.setup() };
}

afterEach(cleanup);

describe('JobDetailPage', () => {
  it('shows the job, its figures and its stored history', async () => {
    renderDetail();
    expect(await screen.findByRole('heading', { level: 1, name: 'https://api.example.com/tick' })).toBeTruthy();
    expect(screen.getByText('100%')).toBeTruthy();
    const history = screen.getByRole('table', { name: 'Executions' });
    expect(await within(history).findByText('Succeeded')).toBeTruthy();
  });

  it('shows the attempts per occurrence in the spec', async () => {
    renderDetail();
    const spec = await screen.findByRole('region', { name: 'Specification' });
    expect(within(spec).getByText('3 (the first call and up to 2 retries)')).toBeTruthy();
  });

  it('labels a recovery retry with its attempt, and an unknown outcome apart from success and failure', async () => {
    renderDetail([STORED, RECOVERED, UNKNOWN]);
    const history = await screen.findByRole('table', { name: 'Executions' });
    const recovered = (await within(history).findByText('Recovery')).closest('tr')!;
    expect(within(recovered).getByText('Recovery').getAttribute('title')).toMatch(/same idempotency key/);
    expect(within(recovered).getByText('· attempt 2')).toBeTruthy();
    expect(recovered.className).toContain('row--failed');

    const unknown = within(history).getByText('Unknown').closest('tr')!;
    expect(unknown.className).toContain('row--unknown');
    expect(unknown.className).not.toContain('row--failed');
    const badge = within(unknown).getByText('Unknown');
    expect(badge.className).toContain('badge--unknown');
    expect(badge.getAttribute('title')).toMatch(/never sent again/);
    expect(within(history).getAllByText(/attempt/)).toHaveLength(1);

    const chart = screen.getByRole('img', { name: /Duration of the last 3 executions/ });
    expect(chart.getAttribute('aria-label')).toContain('1 failed, 1 unknown');
    expect(chart.querySelectorAll('.chart__bar--unknown')).toHaveLength(1);
    const legend = screen.getByText('Unknown', { selector: '.legend__item' });
    expect(legend.getAttribute('title')).toMatch(/at-most-once/);
  });

  it('adds executions from the live feed at once, a failure with its error, then refetches', async () => {
    const { emit, callsOf } = renderDetail();
    const history = await screen.findByRole('table', { name: 'Executions' });
    const fetchedBefore = callsOf('JobExecutions');

    act(() => emit('JobExecutionEvents', { executionEvents: failedEvent('STARTED') }));
    expect(within(history).getByText('Running')).toBeTruthy();

    act(() => emit('JobExecutionEvents', { executionEvents: failedEvent('FAILED') }));
    const failedRow = within(history).getByText('HTTP 503 Service Unavailable').closest('tr')!;
    expect(failedRow.className).toContain('row--failed');
    expect(within(failedRow).getByText('Failed')).toBeTruthy();
    expect(within(history).queryByText('Running')).toBeNull();
    await waitFor(() => expect(callsOf('JobExecutions')).toBeGreaterThan(fetchedBefore));
  });

  it('lists the policies compactly in the spec', async () => {
    renderDetail([STORED], {}, { ...JOB, misfirePolicy: 'FIRE_ALL', catchUpLimit: 20, overlapPolicy: 'QUEUE_ONE', dstOverlap: 'BOTH', successBodyPattern: '"ok":true', autoPauseAfter: 10 });
    const spec = await screen.findByRole('region', { name: 'Specification' });
    const policies = spec.querySelector<HTMLElement>('.spec--compact')!;
    expect(within(policies).getByText('Run each (up to 20, missed within 1h 00m)')).toBeTruthy();
    expect(within(policies).getByText('Queue one behind the previous call')).toBeTruthy();
    expect(within(policies).getByText('Spring forward: shift the fire · fall back: run on the first and last pass')).toBeTruthy();
    expect(within(policies).getByText('"ok":true').tagName).toBe('CODE');
    expect(within(policies).getByText('Failing after 3 failures in a row · auto-paused after 10 failures in a row · no lag alert')).toBeTruthy();
  });

  it('says prominently that the service paused a gone job, with its reason', async () => {
    renderDetail([STORED], {}, { ...JOB, status: 'PAUSED', pauseReason: 'the target answered 410 Gone at 22:04:10' });
    const header = await screen.findByRole('banner');
    expect(within(header).getByText(/^Gone/).className).toContain('badge--failure');
    const banner = document.querySelector('.service-pause')!;
    expect(banner.className).toContain('banner--error');
    expect(banner.textContent).toContain('Gone: the service paused this job.');
    expect(banner.textContent).toContain('the target answered 410 Gone at 22:04:10');
  });

  it('marks a failing job in its header, and shows no banner while it runs', async () => {
    renderDetail([STORED], {}, { ...JOB, consecutiveFailures: 5 });
    const header = await screen.findByRole('banner');
    expect(within(header).getByText(/^Failing/).getAttribute('title')).toBe('5 failures in a row (alert threshold 3)');
    expect(document.querySelector('.service-pause')).toBeNull();
  });

  it('lists the alerts sent, newest first, with whether the webhook took them', async () => {
    renderDetail([STORED], { JobAlerts: () => ({ data: { job: { __typename: 'Job', id: 'job-1', alerts: ALERTS } } }) });
    const panel = await screen.findByRole('region', { name: 'Alerts' });
    const items = await within(panel).findAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByText('Auto-paused')).toBeTruthy();
    expect(within(items[0]!).getByText(/^Not delivered/).textContent).toBe('Not delivered · connect ECONNREFUSED 127.0.0.1:9');
    expect(items[0]!.className).toContain('alert--undelivered');
    expect(within(items[1]!).getByText('Failing')).toBeTruthy();
    expect(within(items[1]!).getByText('Delivered · HTTP 204')).toBeTruthy();
    expect(within(items[1]!).getByText(/26 Nov 2026/).textContent).toContain('22:05:00');
  });

  it('says when no alert was sent, and why none could be', async () => {
    renderDetail();
    const panel = await screen.findByRole('region', { name: 'Alerts' });
    expect(await within(panel).findByText('No alerts sent')).toBeTruthy();
    expect(within(panel).getByText('This job has no alert webhook; edit it to add one.')).toBeTruthy();
  });

  it('opens the start of an execution’s response body, monospace and cut short', async () => {
    const body = `{"status":"degraded","detail":"${'x'.repeat(SNIPPET_SHOWN)}"}`;
    const { user } = renderDetail([{ ...STORED, responseSnippet: body }]);
    const history = await screen.findByRole('table', { name: 'Executions' });
    const toggle = await within(history).findByRole('button', { name: 'Show response' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const snippet = within(within(history).getByRole('figure', { name: 'Response body (start)' })).getByText(/^\{"status"/);
    expect(snippet.tagName).toBe('PRE');
    expect(snippet.textContent).toBe(`${body.slice(0, SNIPPET_SHOWN)}…`);
    expect(document.getElementById(toggle.getAttribute('aria-controls')!)).toBe(snippet.closest('tr'));
    await user.click(within(history).getByRole('button', { name: 'Hide response' }));
    expect(within(history).queryByRole('figure')).toBeNull();
  });

  it('pauses the job and says so', async () => {
    const { user } = renderDetail();
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    expect(await screen.findByText('Paused: no more fires until it is resumed.')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeTruthy();
  });

  it('says clearly that a read-only token cannot pause the job', async () => {
    const forbidden = 'this token can only read; changes need a read-write token (API_TOKEN)';
    const { user } = renderDetail([STORED], { PauseJob: () => ({ errors: [{ message: forbidden, extensions: { code: 'FORBIDDEN' } }] }) });
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    const notice = await screen.findByText(/^Not allowed: this API token can only read/);
    expect(notice.className).toContain('job-actions__notice--failed');
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
  });

  it('deletes only after confirmation, then goes back to the jobs', async () => {
    const { user, callsOf, location } = renderDetail();
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this job?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep the job' }));
    expect(callsOf('DeleteJob')).toBe(0);

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Delete this job?' })).getByRole('button', { name: 'Delete job' }));
    await waitFor(() => expect(location.history.at(-1)).toBe('/jobs'));
    expect(callsOf('DeleteJob')).toBe(1);
  });
});
