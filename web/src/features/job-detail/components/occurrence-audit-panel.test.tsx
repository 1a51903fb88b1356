import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestClient, type GraphqlHandler } from '../../../testing/test-client.ts';
import { formatDateTime } from '../../../utils/format-time.ts';
import type { AuditedOccurrence, OccurrenceAudit } from '../api/audit-documents.ts';
import { toLocalInput } from '../api/occurrence-window.ts';
import { formatInstantRange } from './occurrence-groups-table.tsx';
import { OccurrenceAuditPanel } from './occurrence-audit-panel.tsx';

const START = Date.UTC(2026, 10, 27, 10, 0, 0);

function occurrence(second: number, outcome: AuditedOccurrence['outcome'], reason: string | null = null): AuditedOccurrence {
  const ran = outcome === 'SUCCEEDED' || outcome === 'FAILED';
  return { scheduledAt: new Date(START + second * 1_000).toISOString(), outcome, reason, attempts: ran ? 1 : 0, statusCode: outcome === 'SUCCEEDED' ? 200 : null };
}

/** Five minutes of misfire skips after a restart, then runs, with one occurrence that has no outcome. */
const OCCURRENCES: AuditedOccurrence[] = [
  ...Array.from({ length: 300 }, (_, second) => occurrence(second, 'SKIPPED', 'MISFIRE')),
  occurrence(300, 'SUCCEEDED'),
  occurrence(301, 'SUCCEEDED'),
  occurrence(302, 'MISSING'),
  occurrence(303, 'SUCCEEDED'),
];

function audit(variables: Record<string, unknown>, extra: Partial<OccurrenceAudit> = {}): OccurrenceAudit {
  return { jobId: 'job-1', from: String(variables['from']), to: String(variables['to']), expected: 304, accounted: 303, unaccounted: 1, truncated: false, occurrences: OCCURRENCES, ...extra };
}

const BACKFILL_OCCURRENCES = Array.from({ length: 7 }, (_, index) => new Date(START + (302 + index) * 1_000).toISOString());

function renderPanel(overrides: Record<string, GraphqlHandler> = {}) {
  const test = createTestClient({
    OccurrenceAudit: (variables) => ({ data: { occurrenceAudit: audit(variables) } }),
    BackfillJob: (variables) => ({ data: { backfillJob: { jobId: 'job-1', dryRun: variables['dryRun'], count: 7, truncated: false, occurrences: BACKFILL_OCCURRENCES } } }),
    ...overrides,
  });
  render(
    <Provider value={test.client}>
      <OccurrenceAuditPanel jobId="job-1" />
    </Provider>,
  );
  const callsOf = (name: string) => test.calls.filter((call) => call.operationName === name).map((call) => call.variables);
  return { callsOf, user: userEvent.setup() };
}

afterEach(cleanup);

describe('OccurrenceAuditPanel', () => {
  it('audits the last hour on request, with the counts and the occurrences grouped by outcome', async () => {
    const { callsOf, user } = renderPanel();
    expect(callsOf('OccurrenceAudit')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    const table = await screen.findByRole('table', { name: /Occurrences in the window/ });
    const [asked] = callsOf('OccurrenceAudit');
    expect(Date.parse(String(asked?.['to'])) - Date.parse(String(asked?.['from']))).toBe(3_600_000);
    expect(asked?.['jobId']).toBe('job-1');

    expect(screen.getByText('Expected').nextElementSibling?.textContent).toBe('304');
    expect(screen.getByText('Accounted').nextElementSibling?.textContent).toBe('303');
    const unaccounted = screen.getByText('Unaccounted').closest('.stat')!;
    expect(unaccounted.className).toContain('stat--bad');

    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-outcome'))).toEqual(['SKIPPED', 'SUCCEEDED', 'MISSING', 'SUCCEEDED']);
    expect(within(rows[0]!).getByText('×300')).toBeTruthy();
    expect(within(rows[0]!).getByText('MISFIRE')).toBeTruthy();
    expect(within(rows[0]!).getByText(formatInstantRange(OCCURRENCES[0]!.scheduledAt, OCCURRENCES[299]!.scheduledAt))).toBeTruthy();
    expect(within(rows[1]!).getByText('×2')).toBeTruthy();
    expect(within(rows[1]!).getByText('HTTP 200')).toBeTruthy();
  });

  it('shows a missing occurrence in red, apart from skips and successes', async () => {
    const { user } = renderPanel();
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    const missing = (await screen.findByText('Missing')).closest('tr')!;
    expect(missing.className).toBe('row--missing');
    expect(within(missing).getByText('Missing').className).toContain('badge--missing');
    expect(within(missing).getByText('Missing').getAttribute('title')).toMatch(/must never happen/);
    expect(screen.getByText('Skipped').closest('tr')!.className).toBe('');
  });

  it('audits a custom window, refusing one that ends before it starts', async () => {
    const { callsOf, user } = renderPanel();
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    const from = screen.getByLabelText('From (your local time)');
    const to = screen.getByLabelText('To');
    await user.clear(from);
    await user.type(from, toLocalInput(START + 3_600_000));
    await user.clear(to);
    await user.type(to, toLocalInput(START));
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    expect(screen.getByRole('alert').textContent).toBe('The window must start before it ends');
    expect(from.getAttribute('aria-invalid')).toBe('true');
    expect(callsOf('OccurrenceAudit')).toEqual([]);

    await user.clear(from);
    await user.type(from, toLocalInput(START - 3_600_000));
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    await screen.findByRole('table', { name: /Occurrences in the window/ });
    const asked = { jobId: 'job-1', from: new Date(START - 3_600_000).toISOString(), to: new Date(START).toISOString() };
    expect(callsOf('OccurrenceAudit')).toEqual([asked]);
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    await waitFor(() => expect(callsOf('OccurrenceAudit')).toEqual([asked, asked]));
  });

  it('counts the pending ones apart', async () => {
    const { user } = renderPanel({ OccurrenceAudit: (variables) => ({ data: { occurrenceAudit: audit(variables, { expected: 310, accounted: 303, unaccounted: 1 }) } }) });
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    expect((await screen.findByText('Pending')).nextElementSibling?.textContent).toBe('6');
  });

  it('audits the rest of a window the server cut short, from after the last one listed', async () => {
    const { callsOf, user } = renderPanel({
      OccurrenceAudit: (variables) => ({ data: { occurrenceAudit: audit(variables, { truncated: callsOf('OccurrenceAudit').length === 1 }) } }),
    });
    await user.click(screen.getByRole('radio', { name: 'Last 24 hours' }));
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    expect(await screen.findByText('The audit stops after 304 occurrences; more lie in this window.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Audit the rest of the window' }));
    await waitFor(() => expect(callsOf('OccurrenceAudit')).toHaveLength(2));
    const [first, second] = callsOf('OccurrenceAudit');
    expect(second).toEqual({ jobId: 'job-1', from: new Date(START + 303 * 1_000 + 1).toISOString(), to: first?.['to'] });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Audit the rest of the window' })).toBeNull());
  });
});

describe('Backfill', () => {
  it('shows what a dry run found, and runs it only once confirmed', async () => {
    const { callsOf, user } = renderPanel();
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    await user.click(await screen.findByRole('button', { name: 'Backfill this window…' }));
    expect((await screen.findByText('7 occurrences would run')).parentElement?.textContent).toBe('7 occurrences would run, oldest first:');
    const listed = screen.getByRole('list', { name: 'Occurrences that would run' });
    expect(within(listed).getAllByRole('listitem').map((item) => item.textContent)).toEqual(BACKFILL_OCCURRENCES.slice(0, 5).map((instant) => formatDateTime(instant, { withZone: true })));
    expect(screen.getByText('and 2 more')).toBeTruthy();
    const [window] = callsOf('OccurrenceAudit');
    expect(callsOf('BackfillJob')).toEqual([{ id: 'job-1', from: window?.['from'], to: window?.['to'], dryRun: true }]);

    const auditsBefore = callsOf('OccurrenceAudit').length;
    await user.click(screen.getByRole('button', { name: 'Run 7 occurrences' }));
    expect(await screen.findByText('Backfill started: 7 occurrences queued. They appear in the history with trigger Backfill.')).toBeTruthy();
    expect(callsOf('BackfillJob').map((variables) => variables['dryRun'])).toEqual([true, false]);
    await waitFor(() => expect(callsOf('OccurrenceAudit').length).toBeGreaterThan(auditsBefore));
  });

  it('runs nothing when the dry run is cancelled', async () => {
    const { callsOf, user } = renderPanel();
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    await user.click(await screen.findByRole('button', { name: 'Backfill this window…' }));
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(screen.queryByText('7 occurrences would run')).toBeNull();
    expect(screen.getByRole('button', { name: 'Backfill this window…' })).toBeTruthy();
    expect(callsOf('BackfillJob').map((variables) => variables['dryRun'])).toEqual([true]);
  });

  it('says when there is nothing to backfill, and when the server refuses', async () => {
    let refuse = false;
    const { user } = renderPanel({
      BackfillJob: () =>
        refuse
          ? { errors: [{ message: 'this token can only read; changes need a read-write token (API_TOKEN)', extensions: { code: 'FORBIDDEN' } }] }
          : { data: { backfillJob: { jobId: 'job-1', dryRun: true, count: 0, truncated: false, occurrences: [] } } },
    });
    await user.click(screen.getByRole('button', { name: 'Check occurrences' }));
    await user.click(await screen.findByRole('button', { name: 'Backfill this window…' }));
    expect(await screen.findByText('Nothing to backfill: no occurrence in this window was skipped or is missing.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    refuse = true;
    await user.click(screen.getByRole('button', { name: 'Backfill this window…' }));
    const notice = await screen.findByText(/^Not allowed: this API token can only read/);
    expect(notice.className).toContain('job-actions__notice--failed');
  });
});

describe('formatInstantRange', () => {
  it('names the day once when a run starts and ends on it', () => {
    const first = '2026-11-27T10:00:00.000Z';
    const last = '2026-11-27T10:04:59.000Z';
    const [day, startTime] = formatDateTime(first).split(', ');
    expect(formatInstantRange(first, last)).toBe(`${day}, ${startTime}–${formatDateTime(last).split(', ')[1]}`);
    expect(formatInstantRange(first, first)).toBe(formatDateTime(first));
    expect(formatInstantRange(first, '2026-11-29T10:00:00.000Z')).toBe(`${formatDateTime(first)} – ${formatDateTime('2026-11-29T10:00:00.000Z')}`);
  });
});
