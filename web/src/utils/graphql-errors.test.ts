import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { describeError, errorsByField, isNotFound } from './graphql-errors.ts';

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
