import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs, type execute, type subscribe } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { AccessDeniedError, type ApiGuard } from '../../http/auth.ts';
import type { EventFeed } from '../../service/event-feed.ts';
import { GRAPHQL_PATH, type GraphqlApi } from './create-graphql-api.ts';

/** Yoga's enveloped execute/subscribe, carried to graphql-ws's hooks in the root value. */
interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => ReturnType<typeof execute>;
  subscribe: (args: ExecutionArgs) => ReturnType<typeof subscribe>;
  /** Subscriptions with the same key (document, operation, variables) share one execution per event. */
  shareKey: string;
}

/** Close code of a connection refused for its token (graphql-ws uses 4403 for "Forbidden"). */
export const UNAUTHORIZED_CLOSE_CODE = 4401;

/**
 * The credential of a graphql-ws connection: `{ authorization: "Bearer <token>" }` or
 * `{ token }` in its connection_init payload (browsers cannot set headers on a WebSocket), else
 * the upgrade request's Authorization header.
 */
function credentialOf(params: Readonly<Record<string, unknown>> | undefined, header: string | undefined): string | undefined {
  if (typeof params?.authorization === 'string') return params.authorization;
  if (typeof params?.token === 'string') return `Bearer ${params.token}`;
  return header;
}

/**
 * Serves GraphQL over WebSocket (the graphql-ws protocol) on the HTTP server's upgrade of
 * GRAPHQL_PATH. Operations run through Yoga's envelope, so they get the same context, plugins
 * and error masking as over HTTP. Other upgrade paths are refused. With tokens configured, a
 * connection whose connection_init carries no valid one is closed with 4401 before any operation.
 *
 * Subscriptions that send the same document with the same variables share one source: each event
 * is executed once and its result handed to every subscriber's own bounded buffer (EventFeed.share).
 * Their results depend on nothing of the caller (authorisation happens when the connection opens),
 * so sharing changes nothing a subscriber sees, and a hundred dashboards cost one execution per event.
 */
export function attachGraphqlWebSocket(server: Server, api: GraphqlApi, guard: ApiGuard, feed: EventFeed): { close(): Promise<void> } {
  const sockets = new WebSocketServer({ noServer: true });
  const onUpgrade: Parameters<Server['on']>[1] = (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== GRAPHQL_PATH) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
  };
  server.on('upgrade', onUpgrade);
  const protocol = useServer(
    {
      isProd: true,
      onConnect(context) {
        const { request, socket } = context.extra;
        try {
          api.admit(request, guard.identify(credentialOf(context.connectionParams, request.headers.authorization), request.socket.remoteAddress));
          return true;
        } catch (error: unknown) {
          if (!(error instanceof AccessDeniedError)) throw error;
          // Closed here with our own code; graphql-ws's own close (4403) then finds it closing.
          socket.close(UNAUTHORIZED_CLOSE_CODE, error.message);
          return false;
        }
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => {
        const root = args.rootValue as EnvelopedRoot;
        return feed.share(root.shareKey, () => root.subscribe(args));
      },
      async onSubscribe(context, _id, payload) {
        const enveloped = api.yoga.getEnveloped({ ...context, req: context.extra.request, socket: context.extra.socket, params: payload });
        let document;
        try {
          document = enveloped.parse(payload.query);
        } catch (error: unknown) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        const shareKey = JSON.stringify([payload.query, payload.operationName ?? null, payload.variables ?? null]);
        const rootValue: EnvelopedRoot = { execute: enveloped.execute, subscribe: enveloped.subscribe, shareKey };
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue,
        };
      },
    },
    sockets,
  );
  return {
    async close() {
      server.off('upgrade', onUpgrade);
      await protocol.dispose();
    },
  };
}
