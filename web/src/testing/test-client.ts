import { Client, fetchExchange } from '@urql/core';

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
function readRequest(url: string, init: RequestInit | undefined): RecordedCall {
  if (typeof init?.body === 'string') {
    const body = JSON.parse(init.body) as { operationName: string; variables?: Record<string, unknown> };
    return { operationName: body.operationName, variables: body.variables ?? {} };
  }
  const params = new URL(url).searchParams;
  const variables = params.get('variables');
  return { operationName: params.get('operationName') ?? '', variables: variables ? (JSON.parse(variables) as Record<string, unknown>) : {} };
}

/**
 * A real urql client whose HTTP endpoint is a table of handlers by operation name, for component
 * tests. Every request is recorded in `calls`.
 */
export function createTestClient(handlers: Record<string, GraphqlHandler>): { client: Client; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call = readRequest(String(input), init);
    calls.push(call);
    const handler = handlers[call.operationName];
    const reply = handler ? await handler(call.variables) : { errors: [{ message: `no handler for ${call.operationName}` }] };
    return new Response(JSON.stringify(reply), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const client = new Client({ url: 'http://zeitgeber.test/graphql', exchanges: [fetchExchange], fetch: fakeFetch, requestPolicy: 'network-only' });
  return { client, calls };
}
