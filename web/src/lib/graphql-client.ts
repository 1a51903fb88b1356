import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import type { WebConfig } from '../config/config.ts';
import { createConnectionStore, type ConnectionStore } from './connection-store.ts';
import { reconnectDelayMs } from './reconnect-delay.ts';

/** Ping the server this often; a pong missing for PONG_TIMEOUT_MS closes the socket so it retries. */
const KEEP_ALIVE_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;

export interface GraphqlConnection {
  /** Queries and mutations over HTTP, subscriptions over graphql-ws. */
  client: Client;
  /** The live feed's socket state. */
  connection: ConnectionStore;
  dispose(): void;
}

/**
 * The dashboard's one GraphQL client. The subscription socket opens at start (so the header can
 * show whether the live feed is up) and retries forever with capped backoff: after a server
 * restart it reconnects by itself, and graphql-ws re-subscribes every active subscription.
 */
export function createGraphqlConnection(config: WebConfig): GraphqlConnection {
  const connection = createConnectionStore();
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const ws = createWsClient({
    url: config.graphqlWsUrl,
    lazy: false,
    keepAlive: KEEP_ALIVE_MS,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries))),
    onNonLazyError: () => connection.closed(),
    on: {
      connecting: (isRetry) => connection.connecting(isRetry),
      connected: () => connection.connected(),
      closed: () => {
        clearTimeout(pongTimer);
        connection.closed();
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
    exchanges: [
      cacheExchange,
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
      clearTimeout(pongTimer);
      void ws.dispose();
    },
  };
}
