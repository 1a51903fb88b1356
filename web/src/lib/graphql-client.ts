import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import type { WebConfig } from '../config/config.ts';
import { isUnauthenticated } from '../utils/graphql-errors.ts';
import { createConnectionStore, type ConnectionStore } from './connection-store.ts';
import { reconnectDelayMs } from './reconnect-delay.ts';

/** Ping the server this often; a pong missing for PONG_TIMEOUT_MS closes the socket so it retries. */
const KEEP_ALIVE_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;
/** The close code of a socket the server refused for its token (missing, wrong or no longer valid). */
export const UNAUTHORIZED_CLOSE_CODE = 4401;

/** How requests leave the browser; tests replace both with fakes. */
export interface ApiTransport {
  fetch?: typeof fetch;
  /** A WebSocket class for graphql-ws (the browser's by default). */
  webSocketImpl?: unknown;
}

export interface GraphqlConnection {
  /** Queries and mutations over HTTP, subscriptions over graphql-ws. */
  client: Client;
  /** The live feed's socket state. */
  connection: ConnectionStore;
  dispose(): void;
}

/** Everything the dashboard needs to reach the API with a given token (or none). */
export interface ApiAccess {
  /** The dashboard's connection for `token`; `onRefused` runs when the server refuses that token. */
  connect(token: string | null, onRefused: () => void): GraphqlConnection;
  /** A plain HTTP client for `token`, without cache or socket, to try a token before keeping it. */
  checkClient(token: string): Client;
}

/** The header (and connection_init payload) that carries a token. */
function authorizationOf(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

function isRefusedClose(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { code?: unknown }).code === UNAUTHORIZED_CLOSE_CODE;
}

/**
 * The dashboard's GraphQL client for one token. The token goes on every HTTP request (the
 * Authorization header) and in the socket's connection_init payload, where graphql-ws lets a
 * browser put it. The subscription socket opens at start (so the header can show whether the live
 * feed is up) and retries forever with capped backoff: after a server restart it reconnects by
 * itself, and graphql-ws re-subscribes every active subscription. A refusal of the token (HTTP
 * 401, UNAUTHENTICATED, close code 4401, which graphql-ws does not retry) calls `onRefused`.
 */
export function createGraphqlConnection(config: WebConfig, token: string | null, onRefused: () => void, transport: ApiTransport = {}): GraphqlConnection {
  const connection = createConnectionStore();
  const authorization = token === null ? undefined : authorizationOf(token);
  let disposed = false;
  const refused = () => {
    if (!disposed) onRefused();
  };
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const ws = createWsClient({
    url: config.graphqlWsUrl,
    webSocketImpl: transport.webSocketImpl,
    connectionParams: authorization,
    lazy: false,
    keepAlive: KEEP_ALIVE_MS,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries))),
    onNonLazyError: () => connection.closed(),
    on: {
      connecting: (isRetry) => connection.connecting(isRetry),
      connected: () => connection.connected(),
      closed: (event) => {
        clearTimeout(pongTimer);
        connection.closed();
        if (isRefusedClose(event)) refused();
      },
      ping: (received) => {
        if (received) return;
        pongTimer = setTimeout(() => ws.terminate(), PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  const client = new Client({
    url: config.graphqlHttpUrl,
    requestPolicy: 'cache-and-network',
    fetchOptions: { headers: authorization },
    fetch: transport.fetch,
    exchanges: [
      cacheExchange,
      mapExchange({
        onError: (error) => {
          if (isUnauthenticated(error)) refused();
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });

  return {
    client,
    connection,
    dispose: () => {
      disposed = true;
      clearTimeout(pongTimer);
      // Rejects when a connection attempt is failing as it is disposed: there is nothing left to close.
      Promise.resolve(ws.dispose()).catch(() => undefined);
    },
  };
}

/** How the dashboard reaches the API described by `config`. */
export function createApiAccess(config: WebConfig, transport: ApiTransport = {}): ApiAccess {
  return {
    connect: (token, onRefused) => createGraphqlConnection(config, token, onRefused, transport),
    checkClient: (token) =>
      new Client({
        url: config.graphqlHttpUrl,
        requestPolicy: 'network-only',
        fetchOptions: { headers: authorizationOf(token) },
        fetch: transport.fetch,
        exchanges: [fetchExchange],
      }),
  };
}
