import { Client, cacheExchange, fetchExchange, subscriptionExchange, type ExecutionResult } from '@urql/core';

/** What a fake GraphQL endpoint answers for one operation. */
export interface GraphqlReply {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export type GraphqlHandler = (variables: Record<string, unknown>) => GraphqlReply | Promise<GraphqlReply>;

export interface RecordedCall {
  operationName: string;
  variables: Record<string, unknown>;
}

/** The operation of a GraphQL request: from the JSON body of a POST, or from the URL of a GET. */
export function readRequest(url: string, init: RequestInit | undefined): RecordedCall {
  if (typeof init?.body === 'string') {
    const body = JSON.parse(init.body) as { operationName: string; variables?: Record<string, unknown> };
    return { operationName: body.operationName, variables: body.variables ?? {} };
  }
  const params = new URL(url).searchParams;
  const variables = params.get('variables');
  return { operationName: params.get('operationName') ?? '', variables: variables ? (JSON.parse(variables) as Record<string, unknown>) : {} };
}

type Sink = { next: (result: ExecutionResult) => void };

export interface TestClient {
  client: Client;
  calls: RecordedCall[];
  /** Delivers `data` to every open subscription named `operationName`. */
  emit(operationName: string, data: Record<string, unknown>): void;
}

/**
 * A real urql client whose HTTP endpoint is a table of handlers by operation name, for component
 * tests, and whose subscriptions receive what the test emits. Every request is recorded in `calls`.
 */
export function createTestClient(handlers: Record<string, GraphqlHandler>): TestClient {
  const calls: RecordedCall[] = [];
  const subscribers = new Map<string, Set<Sink>>();
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call = readRequest(String(input), init);
    calls.push(call);
    const handler = handlers[call.operationName];
    const reply = handler ? await handler(call.variables) : { errors: [{ message: `no handler for ${call.operationName}` }] };
    return new Response(JSON.stringify(reply), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const subscriptions = subscriptionExchange({
    forwardSubscription: (request) => ({
      subscribe: (sink: Sink) => {
        const name = request.operationName ?? '';
        const sinks = subscribers.get(name) ?? new Set<Sink>();
        subscribers.set(name, sinks.add(sink));
        return { unsubscribe: () => sinks.delete(sink) };
      },
    }),
  });
  const client = new Client({ url: 'http://zeitgeber.test/graphql', exchanges: [cacheExchange, fetchExchange, subscriptions], fetch: fakeFetch, requestPolicy: 'network-only' });
  return {
    client,
    calls,
    emit(operationName, data) {
      for (const sink of subscribers.get(operationName) ?? []) sink.next({ data });
    },
  };
}
