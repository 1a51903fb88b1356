import { cleanup, render, screen, within } from '@testing-library/react';
import { Provider } from 'urql';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestClient } from '../../../testing/test-client.ts';
import type { Failure } from '../api/failures-documents.ts';
import { FailuresPage } from './failures-page.tsx';

const RECOVERED: Failure = {
  id: 'e1',
  jobId: 'job-1',
  job: { id: 'job-1', api: 'https://api.example.com/tick', description: 'Every 5 seconds' },
  scheduledAt: '2026-11-26T22:00:00.000Z',
  startedAt: '2026-11-26T22:00:03.000Z',
  statusCode: 503,
  durationMs: 40,
  error: 'HTTP 503 Service Unavailable',
  attempt: 2,
  trigger: 'RECOVERY',
};

afterEach(cleanup);

describe('FailuresPage', () => {
  it('shows a failed recovery retry with its trigger explained and its attempt', async () => {
    const { client } = createTestClient({
      RecentFailures: () => ({ data: { executions: { edges: [{ node: RECOVERED }] } } }),
    });
    render(
      <Provider value={client}>
        <Router hook={memoryLocation({ path: '/failures' }).hook}>
          <FailuresPage />
        </Router>
      </Provider>,
    );
    const card = (await screen.findByRole('link', { name: 'https://api.example.com/tick' })).closest('li')!;
    expect(within(card).getByText('Failed')).toBeTruthy();
    expect(within(card).getByText('Recovery').getAttribute('title')).toMatch(/Sent again after a crash/);
    expect(within(card).getByText('· attempt 2')).toBeTruthy();
  });
});
