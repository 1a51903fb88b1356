import type { Dispatcher } from 'undici';
import { request } from 'undici';

/** A GraphQL request that answered with errors or a status other than 200. */
export class GraphqlRequestError extends Error {
  constructor(message: string) {
    super(`graphql-request: ${message}`);
    this.name = 'GraphqlRequestError';
  }
}

const TIMEOUT_MS = 120_000;

/**
 * Posts one operation to `<serverUrl>/graphql` and returns its `data`. The body may be given
 * already serialised, so that a caller timing the request does not time its JSON encoding.
 */
export async function postGraphql<T>(
  serverUrl: string,
  body: string | { query: string; variables?: Record<string, unknown> },
  dispatcher?: Dispatcher,
): Promise<T> {
  const response = await request(`${serverUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
    dispatcher,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new GraphqlRequestError(`status ${response.statusCode}: ${text.slice(0, 300)}`);
  const result = JSON.parse(text) as { data?: T; errors?: Array<{ message: string }> };
  if (result.errors?.length) throw new GraphqlRequestError(result.errors.map((e) => e.message).join('; ').slice(0, 300));
  if (result.data === undefined || result.data === null) throw new GraphqlRequestError('no data');
  return result.data;
}

/** The server's subscriber figures from its metrics. */
export function getSubscriberMetrics(serverUrl: string): Promise<{ subscribers: number; droppedEvents: number }> {
  return postGraphql<{ metrics: { subscribers: number; droppedEvents: number } }>(serverUrl, {
    query: '{ metrics { subscribers droppedEvents } }',
  }).then((data) => data.metrics);
}
