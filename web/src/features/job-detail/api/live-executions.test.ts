import { describe, expect, it } from 'vitest';
import type { ExecutionEvent, StoredExecution } from './job-detail-documents.ts';
import { applyExecutionEvent, fromStored, LIVE_LIMIT, mergeLiveExecutions, type ExecutionItem } from './live-executions.ts';

function event(type: ExecutionEvent['type'], second: number, extra: Partial<ExecutionEvent> = {}): ExecutionEvent {
  const scheduledAt = new Date(Date.UTC(2026, 10, 26, 22, 0, second)).toISOString();
  return {
    type,
    jobId: 'job-1',
    scheduledAt,
    startedAt: new Date(Date.parse(scheduledAt) + 3).toISOString(),
    trigger: 'SCHEDULE',
    attempt: 1,
    statusCode: type === 'STARTED' ? null : 200,
    durationMs: type === 'STARTED' ? null : 12,
    error: null,
    ...extra,
  };
}

function stored(second: number, success = true): StoredExecution {
  const scheduledAt = new Date(Date.UTC(2026, 10, 26, 22, 0, second)).toISOString();
  return {
    id: `e${second}`,
    scheduledAt: scheduledAt.replace('Z', '+00:00'),
    startedAt: new Date(Date.parse(scheduledAt) + 3).toISOString(),
    lagMs: 3,
    statusCode: success ? 200 : 500,
    durationMs: 12,
    outcome: success ? 'SUCCEEDED' : 'FAILED',
    error: success ? null : 'HTTP 500',
    attempt: 1,
    trigger: 'SCHEDULE',
    responseSnippet: success ? '{"ok":true}' : null,
  };
}

describe('applyExecutionEvent', () => {
  it('shows a running row that its outcome replaces', () => {
    const running = applyExecutionEvent([], event('STARTED', 1));
    expect(running).toMatchObject([{ outcome: 'RUNNING', lagMs: 3, live: true }]);
    const finished = applyExecutionEvent(running, event('FAILED', 1, { statusCode: 503, error: 'HTTP 503' }));
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ outcome: 'FAILED', statusCode: 503, error: 'HTTP 503', durationMs: 12 });
  });

  it('keeps the outcome when a late STARTED arrives after it', () => {
    const finished = applyExecutionEvent([], event('SUCCEEDED', 1));
    expect(applyExecutionEvent(finished, event('STARTED', 1))[0]?.outcome).toBe('SUCCEEDED');
  });

  it('keeps the newest rows first and at most LIVE_LIMIT of them', () => {
    let live: ExecutionItem[] = [];
    for (let second = 0; second < LIVE_LIMIT + 5; second += 1) live = applyExecutionEvent(live, event('SUCCEEDED', second % 60, { attempt: 1 + Math.floor(second / 60) }));
    expect(live).toHaveLength(LIVE_LIMIT);
    expect(Date.parse(live[0]!.startedAt)).toBeGreaterThan(Date.parse(live[1]!.startedAt));
  });
});

describe('mergeLiveExecutions', () => {
  it('puts live rows above the stored ones until their record arrives', () => {
    const live = applyExecutionEvent([], event('SUCCEEDED', 5));
    const before = mergeLiveExecutions([fromStored(stored(4))], live, false);
    expect(before.map((item) => [item.key, item.live])).toEqual([
      [live[0]!.key, true],
      [fromStored(stored(4)).key, false],
    ]);
    const after = mergeLiveExecutions([fromStored(stored(5)), fromStored(stored(4))], live, false);
    expect(after.every((item) => !item.live)).toBe(true);
    expect(after).toHaveLength(2);
  });

  it('takes the response snippet from the stored record', () => {
    expect(fromStored(stored(7)).responseSnippet).toBe('{"ok":true}');
    expect(applyExecutionEvent([], event('SUCCEEDED', 7))[0]?.responseSnippet).toBeNull();
  });

  it('keeps the stored outcome, unknown included', () => {
    expect(fromStored({ ...stored(6, false), outcome: 'UNKNOWN', statusCode: null }).outcome).toBe('UNKNOWN');
  });

  it('drops live rows older than a full page', () => {
    const live = applyExecutionEvent([], event('SUCCEEDED', 1));
    expect(mergeLiveExecutions([fromStored(stored(4))], live, true)).toHaveLength(1);
    expect(mergeLiveExecutions([fromStored(stored(4))], live, false)).toHaveLength(2);
  });
});
