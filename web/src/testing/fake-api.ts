import { readRequest, type GraphqlHandler, type GraphqlReply } from './test-client.ts';

/** One request the fake API received. */
export interface ReceivedRequest {
  operationName: string;
  /** The Authorization header as sent, or null. */
  authorization: string | null;
}

export interface FakeApi {
  /** A `fetch` for the dashboard's clients; nothing leaves the process. */
  fetch: typeof fetch;
  requests: ReceivedRequest[];
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, statusText: status === 401 ? 'Unauthorized' : 'OK', headers: { 'content-type': 'application/json' } });
}

/**
 * The server's HTTP side as the dashboard sees it, with bearer tokens as the server checks them:
 * with `tokens` configured, a request without a token gets 401 and `{ error }`, one with an
 * unknown token 401 and an UNAUTHENTICATED error too, and a mutation with a read-only token a
 * FORBIDDEN error. Without tokens every request passes. Operations are answered by `handlers`.
 */
export function createFakeApi(tokens: Readonly<Record<string, 'read' | 'write'>>, handlers: Record<string, GraphqlHandler>): FakeApi {
  const requests: ReceivedRequest[] = [];
  const open = Object.keys(tokens).length === 0;
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const { operationName, variables } = readRequest(String(input), init);
    const authorization = new Headers(init?.headers).get('authorization');
    requests.push({ operationName, authorization });
    const level = authorization === null ? undefined : tokens[authorization.replace(/^Bearer /, '')];
    if (!open && authorization === null) return json(401, { error: 'this API needs a token: send the header "Authorization: Bearer <token>"' });
    if (!open && level === undefined) {
      const message = 'the token is not valid: use one of API_TOKEN or API_READ_TOKEN';
      return json(401, { error: message, errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { query?: string }) : {};
    if (level === 'read' && /^\s*mutation\b/.test(body.query ?? '')) {
      return json(200, { errors: [{ message: 'this token can only read; changes need a read-write token (API_TOKEN)', extensions: { code: 'FORBIDDEN' } }] });
    }
    const handler = handlers[operationName];
    const reply: GraphqlReply = handler ? await handler(variables) : { errors: [{ message: `no handler for ${operationName}` }] };
    return json(200, reply);
  };
  return { fetch: fakeFetch, requests };
}
