import type { CombinedError } from '@urql/core';

/** A failed request split for a form: messages next to the input they concern, and the rest. */
export interface ErrorsByField {
  fields: Record<string, string>;
  general: string[];
}

const UNREACHABLE = 'The server cannot be reached. Check that Zeitgeber is running, then try again.';
const FORBIDDEN = 'Not allowed: this API token can only read. Changing jobs needs a read-write token; sign out to use another.';

function codeOf(graphQLError: { extensions?: Record<string, unknown> }): unknown {
  return graphQLError.extensions?.['code'];
}

/**
 * Sorts a request's errors by the input field named in `extensions.field` (the server's
 * validation errors); errors without a field, refusals of a read-only token and network failures
 * are general.
 */
export function errorsByField(error: CombinedError | undefined): ErrorsByField {
  const result: ErrorsByField = { fields: {}, general: [] };
  if (!error) return result;
  if (error.networkError) result.general.push(UNREACHABLE);
  for (const graphQLError of error.graphQLErrors) {
    if (codeOf(graphQLError) === 'FORBIDDEN') {
      if (!result.general.includes(FORBIDDEN)) result.general.push(FORBIDDEN);
      continue;
    }
    const field = graphQLError.extensions?.['field'];
    if (typeof field === 'string' && field !== '' && !(field in result.fields)) result.fields[field] = graphQLError.message;
    else result.general.push(graphQLError.message);
  }
  return result;
}

/** One sentence for a failed query or mutation, for an error banner. */
export function describeError(error: CombinedError): string {
  if (isForbidden(error)) return FORBIDDEN;
  if (error.networkError) return UNREACHABLE;
  const messages = error.graphQLErrors.map((graphQLError) => graphQLError.message);
  return messages.length > 0 ? messages.join(' ') : error.message;
}

/** Whether the request failed because the thing asked for does not exist. */
export function isNotFound(error: CombinedError | undefined): boolean {
  return error?.graphQLErrors.some((graphQLError) => codeOf(graphQLError) === 'NOT_FOUND') ?? false;
}

/** Whether the token in use may not do this (a read-only token asked for a change). */
export function isForbidden(error: CombinedError | undefined): boolean {
  return error?.graphQLErrors.some((graphQLError) => codeOf(graphQLError) === 'FORBIDDEN') ?? false;
}

/**
 * Whether the server refused the request for its token: missing, wrong or no longer valid. It
 * answers HTTP 401 (with or without GraphQL errors in the body) or an UNAUTHENTICATED error.
 */
export function isUnauthenticated(error: CombinedError | undefined): boolean {
  if (!error) return false;
  const status: unknown = (error.response as { status?: unknown } | undefined)?.status;
  return status === 401 || error.graphQLErrors.some((graphQLError) => codeOf(graphQLError) === 'UNAUTHENTICATED');
}
