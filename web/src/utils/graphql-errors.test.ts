import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { describeError, errorsByField, isForbidden, isNotFound, isUnauthenticated } from './graphql-errors.ts';

describe('errorsByField', () => {
  it('puts validation errors under the field they name and keeps the rest general', () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('"api" must use http or https, got "ftp"', { extensions: { code: 'VALIDATION', field: 'api' } }),
        new GraphQLError('Unexpected error.'),
      ],
    });
    expect(errorsByField(error)).toEqual({
      fields: { api: '"api" must use http or https, got "ftp"' },
      general: ['Unexpected error.'],
    });
  });

  it('says the server cannot be reached on a network failure', () => {
    const result = errorsByField(new CombinedError({ networkError: new TypeError('Failed to fetch') }));
    expect(result.general[0]).toMatch(/cannot be reached/);
  });

  it('is empty without an error', () => {
    expect(errorsByField(undefined)).toEqual({ fields: {}, general: [] });
  });
});

describe('describeError and isNotFound', () => {
  it('reads the messages and the NOT_FOUND code', () => {
    const error = new CombinedError({ graphQLErrors: [new GraphQLError('Job not found', { extensions: { code: 'NOT_FOUND' } })] });
    expect(describeError(error)).toBe('Job not found');
    expect(isNotFound(error)).toBe(true);
    expect(isNotFound(undefined)).toBe(false);
  });
});

describe('refusals for the token', () => {
  it('says clearly that a read-only token cannot change anything', () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError('this token can only read; changes need a read-write token (API_TOKEN)', { extensions: { code: 'FORBIDDEN' } })],
    });
    expect(isForbidden(error)).toBe(true);
    expect(describeError(error)).toMatch(/^Not allowed: this API token can only read/);
    expect(errorsByField(error)).toEqual({ fields: {}, general: [describeError(error)] });
  });

  it('recognises a refused token by the 401 status or the UNAUTHENTICATED code', () => {
    const bare = new CombinedError({ networkError: new Error('Unauthorized'), response: new Response('{"error":"no"}', { status: 401 }) });
    const coded = new CombinedError({ graphQLErrors: [new GraphQLError('this API needs a token', { extensions: { code: 'UNAUTHENTICATED' } })] });
    expect(isUnauthenticated(bare)).toBe(true);
    expect(isUnauthenticated(coded)).toBe(true);
    expect(isUnauthenticated(new CombinedError({ networkError: new TypeError('Failed to fetch') }))).toBe(false);
    expect(isUnauthenticated(undefined)).toBe(false);
  });
});
