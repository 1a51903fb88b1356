import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../engine/events.ts';
import { ApiGuard } from '../../http/auth.ts';
import { EventFeed } from '../../service/event-feed.ts';
import type { AuditService } from '../../service/audit-service.ts';
import type { JobService } from '../../service/job-service.ts';
import type { StatusService } from '../../service/status-service.ts';
import { createGraphqlApi } from './create-graphql-api.ts';

describe('createGraphqlApi', () => {
  it('masks an unexpected error for the client and logs it in full', async () => {
    const logged: Array<{ err?: { message: string }; msg: string }> = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const jobs = {
      findJob: () => Promise.reject(new Error('disk on fire at /var/lib/zeitgeber')),
    } as unknown as JobService;
    const api = createGraphqlApi({ jobs, status: {} as StatusService, feed: new EventFeed(new EventBus(() => {})), audit: {} as AuditService,
      logger,
      guard: new ApiGuard({ readWriteTokens: [], readOnlyTokens: [], changesPerMinute: 600 }),
      maxDepth: 12,
      maxCost: 100_000,
    });

    const response = await api.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ job(id: "x") { id } }' }),
    });
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };

    expect(body.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    expect(JSON.stringify(body)).not.toContain('disk on fire');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.err?.message).toContain('disk on fire');
  });
});
