import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A GraphQL error as the API answers it. */
export interface GraphqlError {
  message: string;
  path?: string[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GraphqlResponse<T = any> {
  status: number;
  data: T | null | undefined;
  errors: GraphqlError[] | undefined;
}

/** One GraphQL operation over HTTP POST to `${baseUrl}/graphql`. */
export async function graphql<T = any>(baseUrl: string, query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GraphqlError[] };
  return { status: response.status, data: body.data, errors: body.errors };
}

/** Like `graphql`, but fails the test on any error and returns the data. */
export async function graphqlData<T = any>(baseUrl: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await graphql<T>(baseUrl, query, variables);
  if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

/** What graphql-ws and graphql-sse clients have in common. */
interface SubscribingClient {
  subscribe(
    payload: { query: string; variables?: Record<string, unknown> },
    sink: { next(value: { data?: unknown; errors?: unknown }): void; error(error: unknown): void; complete(): void },
  ): () => void;
  dispose(): void | Promise<void>;
}

/** The items a subscription received, with a way to await one. */
export interface Recording<T> {
  items: T[];
  /** Resolves with the first item (received or to come) after index `from` that matches. */
  waitFor(match: (item: T) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<{ item: T; index: number }>;
  stop(): void;
}

function record<T>(client: SubscribingClient, query: string, variables: Record<string, unknown>, pick: (data: any) => T): Recording<T> {
  const items: T[] = [];
  const waiters: Array<() => void> = [];
  let failure: unknown = null;
  const notify = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next(result) {
        if (result.errors) failure = new Error(`subscription errors: ${JSON.stringify(result.errors)}`);
        else items.push(pick(result.data));
        notify();
      },
      error(error) {
        failure = error;
        notify();
      },
      complete: notify,
    },
  );
  return {
    items,
    waitFor(match, { from = 0, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`subscription: no matching item within ${timeoutMs} ms; got ${JSON.stringify(items)}`)), timeoutMs);
        const check = () => {
          if (failure) {
            clearTimeout(timer);
            reject(failure instanceof Error ? failure : new Error(JSON.stringify(failure)));
            return;
          }
          const index = items.findIndex((item, i) => i >= from && match(item));
          if (index === -1) {
            waiters.push(check);
            return;
          }
          clearTimeout(timer);
          resolve({ item: items[index]!, index });
        };
        check();
      });
    },
    stop: unsubscribe,
  };
}

export interface LiveClient {
  /** Subscribes and records `pick(data)` of every result. */
  subscribe<T>(query: string, variables: Record<string, unknown>, pick: (data: any) => T): Recording<T>;
  close(): Promise<void>;
}

/** A real graphql-ws client over a WebSocket to `${baseUrl}/graphql`. */
export function connectWebSocket(baseUrl: string): LiveClient {
  const client = createWsClient({ url: `${baseUrl.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  return {
    subscribe: (query, variables, pick) => record(client, query, variables, pick),
    close: async () => {
      await client.dispose();
    },
  };
}

/** A real graphql-sse client (distinct connections mode, as Yoga serves it) on `${baseUrl}/graphql`. */
export function connectSse(baseUrl: string): LiveClient {
  const client = createSseClient({ url: `${baseUrl}/graphql`, retryAttempts: 0 });
  return {
    subscribe: (query, variables, pick) => record(client, query, variables, pick),
    close: async () => client.dispose(),
  };
}

/** Resolves once `check` returns true, asking again every `everyMs`; for state with no event to await. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const JOB_FIELDS = `id schedule timezone api type alertWebhook timeoutMs status description nextFireAt createdAt updatedAt`;
