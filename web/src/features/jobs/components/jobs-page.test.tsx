import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestClient } from '../../../testing/test-client.ts';
import type { JobRow } from '../api/jobs-documents.ts';
import { JobsPage } from './jobs-page.tsx';

function job(id: string, overrides: Partial<JobRow> = {}): JobRow {
  return {
    id,
    api: `https://api.example.com/${id}`,
    schedule: '*/5 * * * * *',
    timezone: 'UTC',
    description: 'Every 5 seconds',
    status: 'ACTIVE',
    pauseReason: null,
    consecutiveFailures: 0,
    failingThreshold: 3,
    nextFireAt: new Date(Date.now() + 60_000).toISOString(),
    stats: { total: 4, successRate: 0.75, lastSuccess: false, lastExecutionAt: new Date().toISOString() },
    executions: {
      edges: (['SUCCEEDED', 'SUCCEEDED', 'FAILED', 'SUCCEEDED'] as const).map((outcome, index) => ({ node: { id: `${id}-e${index}`, outcome, durationMs: 10 * (index + 1) } })),
    },
    ...overrides,
  };
}

function renderJobs(jobs: JobRow[], path = '/jobs') {
  const { client, calls } = createTestClient({
    JobsPage: (variables) => {
      const shown = jobs.filter((candidate) => variables['status'] === null || candidate.status === variables['status']);
      const page = variables['after'] === null ? shown.slice(0, 25) : shown.slice(25);
      return {
        data: {
          jobs: {
            totalCount: shown.length,
            pageInfo: { hasNextPage: variables['after'] === null && shown.length > 25, endCursor: page.at(-1)?.id ?? null },
            edges: page.map((node) => ({ cursor: node.id, node })),
          },
        },
      };
    },
  });
  const [pathname, search = ''] = path.split('?');
  const location = memoryLocation({ path: pathname, searchPath: search });
  render(
    <Provider value={client}>
      <Router hook={location.hook} searchHook={location.searchHook}>
        <JobsPage />
      </Router>
    </Provider>,
  );
  const jobsCalls = () => calls.filter((call) => call.operationName === 'JobsPage').map((call) => call.variables);
  return { jobsCalls, user: userEvent.setup() };
}

afterEach(cleanup);

describe('JobsPage', () => {
  it('invites to create the first job when there is none', async () => {
    renderJobs([]);
    expect(await screen.findByText('No jobs yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Create the first job' }).getAttribute('href')).toBe('/jobs/new');
  });

  it('shows each job with its schedule, status, success rate and recent runs', async () => {
    renderJobs([job('a'), job('b', { status: 'PAUSED', stats: { total: 0, successRate: null, lastSuccess: null, lastExecutionAt: null }, executions: { edges: [] } })]);
    const rowA = (await screen.findByRole('link', { name: 'https://api.example.com/a' })).closest('tr')!;
    expect(within(rowA).getByText('Every 5 seconds')).toBeTruthy();
    expect(within(rowA).getByText('Active')).toBeTruthy();
    expect(within(rowA).getByText('75.0%')).toBeTruthy();
    expect(within(rowA).getByText('in 1m 00s')).toBeTruthy();
    expect(within(rowA).getByRole('img', { name: 'Last 4 runs: 3 succeeded, 1 failed' })).toBeTruthy();
    const rowB = screen.getByRole('link', { name: 'https://api.example.com/b' }).closest('tr')!;
    expect(within(rowB).getByText('Paused')).toBeTruthy();
    expect(within(rowB).getByText('No runs yet', { selector: '.badge' })).toBeTruthy();
    expect(screen.getByText('1–2 of 2')).toBeTruthy();
  });

  it('marks failing jobs and jobs the service paused, and leaves healthy ones alone', async () => {
    renderJobs([
      job('healthy', { consecutiveFailures: 2 }),
      job('failing', { consecutiveFailures: 4 }),
      job('gone', { status: 'PAUSED', pauseReason: 'the target answered 410 Gone' }),
      job('tired', { status: 'PAUSED', pauseReason: 'auto-paused after 10 consecutive failures', consecutiveFailures: 10 }),
    ]);
    const rowOf = async (id: string) => (await screen.findByRole('link', { name: `https://api.example.com/${id}` })).closest('tr')!;
    expect((await rowOf('healthy')).querySelector('[data-health]')).toBeNull();
    const failing = within(await rowOf('failing')).getByText(/^Failing/);
    expect(failing.className).toContain('badge--failure');
    expect(failing.getAttribute('title')).toBe('4 failures in a row (alert threshold 3)');
    const gone = within(await rowOf('gone')).getByText(/^Gone/);
    expect(gone.textContent).toBe('Gone: Paused by the service: the target answered 410 Gone');
    const tired = await rowOf('tired');
    expect(within(tired).getByText(/^Auto-paused/)).toBeTruthy();
    expect(within(tired).getByText('Paused')).toBeTruthy();
  });

  it('filters by status from the address and from the select', async () => {
    const { jobsCalls, user } = renderJobs([job('a'), job('b', { status: 'PAUSED' })], '/jobs?status=PAUSED');
    expect(await screen.findByRole('link', { name: 'https://api.example.com/b' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'https://api.example.com/a' })).toBeNull();
    await user.selectOptions(screen.getByLabelText('Status'), 'All');
    expect(await screen.findByRole('link', { name: 'https://api.example.com/a' })).toBeTruthy();
    expect(jobsCalls().map((variables) => variables['status'])).toEqual(['PAUSED', null]);
  });

  it('pages through thousands of jobs with the connection cursors', async () => {
    const many = Array.from({ length: 30 }, (_, index) => job(`j${String(index).padStart(2, '0')}`));
    const { jobsCalls, user } = renderJobs(many);
    expect(await screen.findByText('1–25 of 30')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    expect(await screen.findByText('26–30 of 30')).toBeTruthy();
    expect(jobsCalls().at(-1)).toMatchObject({ after: 'j24', first: 25 });
    await user.click(screen.getByRole('button', { name: '← Previous' }));
    expect(await screen.findByText('1–25 of 30')).toBeTruthy();
  });
});
