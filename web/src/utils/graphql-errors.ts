import type { CombinedError } from '@urql/core';

/** A failed request split for a form: messages next to the input they concern, and the rest. */
export interface ErrorsByField {
  fields: Record<string, string>;
  general: string[];
}

const UNREACHABLE = 'The server cannot be reached. Check that Zeitgeber is running, then try again.';

/**
 * Sorts a request's errors by the input field named in `extensions.field` (the server's
 * validation errors); errors without a field, and network failures, are general.
 */
export function errorsByField(error: CombinedError | undefined): ErrorsByField {
  const result: ErrorsByField = { fields: {}, general: [] };
  if (!error) return result;
  if (error.networkError) result.general.push(UNREACHABLE);
  for (const graphQLError of error.graphQLErrors) {
    const field = graphQLError.extensions?.['field'];
    if (typeof field === 'string' && field !== '' && !(field in result.fields)) result.fields[field] = graphQLError.message;
    else result.general.push(graphQLError.message);
  }
  return result;
}

/** One sentence for a failed query or mutation, for an error banner. */
export function describeError(error: CombinedError): string {
  if (error.networkError) return UNREACHABLE;
  const messages = error.graphQLErrors.map((graphQLError) => graphQLError.message);
  return messages.length > 0 ? messages.join(' ') : error.message;
}

/** Whether the request failed because the thing asked for does not exist. */
export function isNotFound(error: CombinedError | undefined): boolean {
  return error?.graphQLErrors.some((graphQLError) => graphQLError.extensions?.['code'] === 'NOT_FOUND') ?? false;
}
