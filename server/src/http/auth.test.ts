import { describe, expect, it } from 'vitest';
import { AccessDeniedError, ApiGuard } from './auth.ts';

const WRITE = 'write-token-0123456789';
const READ = 'read-token-0123456789';

function guard(now: () => number = () => 0, changesPerMinute = 600): ApiGuard {
  return new ApiGuard({ readWriteTokens: ['other-write-token-000', WRITE], readOnlyTokens: [READ], changesPerMinute, now });
}

function denial(run: () => unknown): AccessDeniedError {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof AccessDeniedError) return error;
    throw error;
  }
  throw new Error('expected an AccessDeniedError');
}

describe('ApiGuard', () => {
  it('knows read-write and read-only tokens, by a principal that is not the token', () => {
    const writer = guard().identify(`Bearer ${WRITE}`, '127.0.0.1');
    expect(writer.level).toBe('write');
    expect(writer.principal).not.toContain(WRITE);
    expect(guard().identify(`bearer ${READ}`, '127.0.0.1').level).toBe('read');
  });

  it('answers 401 with a message for a missing, malformed or unknown token', () => {
    expect(denial(() => guard().identify(undefined, undefined))).toMatchObject({ status: 401, message: expect.stringContaining('Authorization: Bearer <token>') });
    expect(denial(() => guard().identify(WRITE, undefined))).toMatchObject({ status: 401, message: expect.stringContaining('must read "Bearer <token>"') });
    expect(denial(() => guard().identify(`Bearer ${WRITE}x`, undefined))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(denial(() => guard().identify(`Bearer ${WRITE.slice(0, -1)}`, undefined)).status).toBe(401);
  });

  it('lets a read-only token read but not change (403)', () => {
    expect(guard().authorize('read', `Bearer ${READ}`, undefined)?.level).toBe('read');
    expect(denial(() => guard().authorize('write', `Bearer ${READ}`, undefined))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(guard().authorize('open', undefined, undefined)).toBeNull();
  });

  it('is open without tokens, keyed by the caller address', () => {
    const open = new ApiGuard({ readWriteTokens: [], readOnlyTokens: [], changesPerMinute: 600 });
    expect(open.enabled).toBe(false);
    expect(open.authorize('write', undefined, '10.1.2.3')).toEqual({ level: 'write', principal: 'address:10.1.2.3' });
  });

  it('limits changes per token with a bucket that refills over the minute', () => {
    let now = 1_000_000;
    const limited = guard(() => now, 2);
    const caller = limited.identify(`Bearer ${WRITE}`, undefined);
    limited.authorizeChange(caller);
    limited.authorizeChange(caller);
    const refused = denial(() => limited.authorizeChange(caller));
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 30 });
    expect(refused.message).toContain('at most 2 a minute');
    // Another token has a bucket of its own.
    limited.authorizeChange(limited.identify('Bearer other-write-token-000', undefined));
    now += 30_000;
    limited.authorizeChange(caller);
    expect(denial(() => limited.authorizeChange(caller)).status).toBe(429);
  });
});
