import { describe, expect, it } from 'vitest';
import { checkPolicy, DEFAULT_POLICY, policyOf, policyValues } from '../domain/job-policy.ts';
import { judgeResponse, RESPONSE_SNIPPET_CHARS, responseSnippet, wantsResponseBody } from './success-criteria.ts';
import { readBodyPrefix } from './transport.ts';

const narrow = checkPolicy(DEFAULT_POLICY, { successCodes: '200-203' });
const patterned = checkPolicy(DEFAULT_POLICY, { successBodyPattern: '^\\{"ok":true' });

describe('judgeResponse', () => {
  it.each([
    ['a 2xx under the default policy', DEFAULT_POLICY, { statusCode: 204, error: null }, null],
    ['an error status', DEFAULT_POLICY, { statusCode: 503, error: null }, 'HTTP 503'],
    ['a transport failure', DEFAULT_POLICY, { statusCode: null, error: 'connection refused' }, 'connection refused'],
    ['a fine status outside successCodes', narrow, { statusCode: 204, error: null }, 'status 204 is not in successCodes 200-203'],
    ['an error status outside successCodes', narrow, { statusCode: 404, error: null }, 'HTTP 404'],
    ['a body matching the pattern', patterned, { statusCode: 200, error: null, body: '{"ok":true}' }, null],
    ['a body missing the pattern', patterned, { statusCode: 200, error: null, body: '{"ok":false}' }, 'body did not match successBodyPattern'],
    ['no body for a pattern', patterned, { statusCode: 200, error: null, body: null }, 'body did not match successBodyPattern'],
    ['an error status with a pattern', patterned, { statusCode: 500, error: null, body: '{"ok":true}' }, 'HTTP 500'],
  ])('%s', (_case, policy, result, expected) => {
    expect(judgeResponse(policy, result)).toBe(expected);
  });
});

describe('judgeResponse on a pattern that backtracks', () => {
  it('answers in time linear in the body, where a backtracking engine would not end', () => {
    const nested = checkPolicy(DEFAULT_POLICY, { successBodyPattern: '^(a+)+$' });
    // 4,000 characters that nearly match: JavaScript's RegExp tries about 2^4000 ways here.
    expect(judgeResponse(nested, { statusCode: 200, error: null, body: `${'a'.repeat(4_000)}!` })).toBe('body did not match successBodyPattern');
    expect(judgeResponse(nested, { statusCode: 200, error: null, body: 'a'.repeat(4_000) })).toBeNull();
  });

  it('reads a pattern as JavaScript does: \\u escapes and [^] are translated, not refused', () => {
    const accented = checkPolicy(DEFAULT_POLICY, { successBodyPattern: '"caf\\u00e9"[^]*ok' });
    expect(judgeResponse(accented, { statusCode: 200, error: null, body: '"café"\n ok' })).toBeNull();
    expect(judgeResponse(accented, { statusCode: 200, error: null, body: '"cafe" ok' })).toBe('body did not match successBodyPattern');
  });

  it('fails an attempt with the reason when a stored pattern is one RE2 refuses', () => {
    // Stored before patterns were checked against RE2: read back as is, never compiled by checkPolicy.
    const stored = policyOf({ ...policyValues(DEFAULT_POLICY), successBodyPattern: '"ok"(?=,)' });
    expect(judgeResponse(stored, { statusCode: 200, error: null, body: '"ok",' })).toBe(
      'successBodyPattern cannot be matched: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    );
  });
});

describe('wantsResponseBody', () => {
  it('reads the body when a pattern decides or the status failed, never for a plain success', () => {
    expect(wantsResponseBody(DEFAULT_POLICY, 200)).toBe(false);
    expect(wantsResponseBody(DEFAULT_POLICY, 500)).toBe(true);
    expect(wantsResponseBody(narrow, 204)).toBe(true);
    expect(wantsResponseBody(patterned, 200)).toBe(true);
  });
});

describe('responseSnippet and readBodyPrefix', () => {
  it('keeps the first RESPONSE_SNIPPET_CHARS characters of what was read', () => {
    expect(responseSnippet({ statusCode: 200, error: null })).toBeNull();
    expect(responseSnippet({ statusCode: 500, error: null, body: 'short' })).toBe('short');
    expect(responseSnippet({ statusCode: 500, error: null, body: 'y'.repeat(3_000) })).toHaveLength(RESPONSE_SNIPPET_CHARS);
  });

  it('stops reading at the limit and keeps what arrived before a failure', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1_000, 97);
      }
    }
    expect(await readBodyPrefix(endless(), 2_500)).toBe('a'.repeat(2_500));
    expect(pulled).toBe(3);
    async function* broken() {
      yield 'partial ';
      throw new Error('socket hang up');
    }
    expect(await readBodyPrefix(broken())).toBe('partial ');
  });
});
