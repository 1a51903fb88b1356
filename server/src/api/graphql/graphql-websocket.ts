import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult, type execute, type subscribe } from 'graphql';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { LimitError } from '../../domain/errors.ts';
import { AccessDeniedError, type ApiGuard } from '../../http/auth.ts';
import { requestUrl } from '../../http/request-url.ts';
import type { EventFeed } from '../../service/event-feed.ts';
import type { GraphqlContext } from './context.ts';
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

/** Interval of keep-alive pings; a connection that does not answer one within it is dropped. */
const KEEP_ALIVE_MS = 12_000;
/** Bytes a connection may have waiting in its socket before its sends wait for the socket to drain. */
const SEND_HIGH_WATER_BYTES = 1 << 20;

/**
 * The data of a result shared by many subscribers, serialised once. graphql-ws serialises each
 * message whole; this value stands in for the data with a placeholder (its toJSON), and the
 * connection's send puts the one serialisation in its place. The placeholder carries a random
 * nonce, so no client-chosen text can be taken for it, and it is filled in within the same
 * synchronous step in which graphql-ws serialises the message and sends it.
 */
class SerializedOnce {
  #bytes: Buffer | null = null;

  constructor(readonly value: unknown) {}

  /** The serialisation as UTF-8 bytes: encoded once, not once per subscriber. */
  get bytes(): Buffer {
    return (this.#bytes ??= Buffer.from(JSON.stringify(this.value)));
  }

  toJSON(): string {
    lastSerialized = this;
    return PLACEHOLDER;
  }
}

const PLACEHOLDER = `\u0000shared-result-${randomUUID()}`;
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);
/** The shared value whose placeholder was serialised last: the message being sent now. */
let lastSerialized: SerializedOnce | null = null;

/**
 * A message to send, split around a shared result's serialisation: the text before its
 * placeholder, the shared bytes, the text after. Null when the message holds no shared result.
 */
function splitAtSharedData(message: string): [string, Buffer, string] | null {
  const at = lastSerialized === null ? -1 : message.indexOf(PLACEHOLDER_JSON);
  if (at === -1) return null;
  const { bytes } = lastSerialized!;
  lastSerialized = null;
  return [message.slice(0, at), bytes, message.slice(at + PLACEHOLDER_JSON.length)];
}

/**
 * Shared results from this size on go as fragments around the one buffer; smaller ones are copied
 * into one frame per subscriber. With 100 subscribers of one event each, three frames per message
 * cost more than the copy of a few hundred bytes.
 */
const FRAGMENT_MIN_BYTES = 16 * 1024;

/**
 * Sends a message. One with a large shared result goes as three fragments of one text message
 * (the subscriber's own envelope around the shared bytes): the socket writes the shared bytes from
 * the one buffer, so the result is neither copied nor measured and encoded again for each
 * subscriber. A small shared result is copied once per subscriber, into one frame.
 */
function sendMessage(client: WebSocket, message: string): void {
  const parts = splitAtSharedData(message);
  if (parts === null) {
    client.send(message, { binary: false });
    return;
  }
  if (parts[1].length < FRAGMENT_MIN_BYTES) {
    client.send(Buffer.concat([Buffer.from(parts[0]), parts[1], Buffer.from(parts[2])]), { binary: false });
    return;
  }
  client.send(parts[0], { binary: false, fin: false });
  client.send(parts[1], { binary: false, fin: false });
  client.send(parts[2], { binary: false, fin: true });
}

/**
 * The results of a shared subscription, each one's data serialised once for all its subscribers.
 * Not an async generator: its return() must reach the source at once, even while a next() waits.
 */
function serializedOnce(results: AsyncIterable<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
  const source = results[Symbol.asyncIterator]();
  return {
    async next() {
      const step = await source.next();
      if (step.done || step.value.data == null) return step;
      return { done: false, value: { ...step.value, data: new SerializedOnce(step.value.data) as unknown as Record<string, unknown> } };
    },
    async return() {
      return (await source.return?.()) ?? { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** What graphql-ws hands our hooks about a connection. */
interface ConnectionExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/**
 * Corks sockets for the rest of the event loop turn: the many small messages a fan-out writes to
 * one connection in a turn leave in one write, not one system call each.
 */
function createCorker(): (socket: Duplex) => void {
  const corked = new Set<Duplex>();
  const uncorkAll = (): void => {
    for (const socket of corked) socket.uncork();
    corked.clear();
  };
  return (socket) => {
    if (corked.has(socket)) return;
    if (corked.size === 0) setImmediate(uncorkAll);
    socket.cork();
    corked.add(socket);
  };
}

/**
 * Runs the graphql-ws protocol (makeServer) over one ws connection: keep-alive pings, the
 * protocol's close codes, and sends that are corked per turn and wait for the socket to drain
 * when a slow client lets them pile up (its subscriptions' own buffers then fill and drop, counted).
 */
function serveConnection(server: ReturnType<typeof makeServer<Record<string, unknown>, ConnectionExtra>>, client: WebSocket, raw: Duplex, request: IncomingMessage, cork: (socket: Duplex) => void): void {
  const fail = (): void => client.close(CloseCode.InternalServerError, 'Internal server error');
  client.once('error', fail);
  let pongWait: NodeJS.Timeout | null = null;
  const ping = setInterval(() => {
    if (client.readyState !== client.OPEN) return;
    pongWait = setTimeout(() => client.terminate(), KEEP_ALIVE_MS);
    client.once('pong', () => {
      if (pongWait) clearTimeout(pongWait);
      pongWait = null;
    });
    client.ping();
  }, KEEP_ALIVE_MS);
  const closed = server.opened(
    {
      protocol: client.protocol,
      send: (data) => {
        if (client.readyState !== client.OPEN) return;
        cork(raw);
        sendMessage(client, data);
        if (raw.writableLength > SEND_HIGH_WATER_BYTES) return once(raw, 'drain').then(() => undefined, () => undefined);
      },
      close: (code, reason) => client.close(code, reason),
      onMessage: (handle) =>
        client.on('message', (message) => {
          handle(String(message)).catch(fail);
        }),
    },
    { socket: client, request },
  );
  client.once('close', (code, reason) => {
    if (pongWait) clearTimeout(pongWait);
    clearInterval(ping);
    void closed(code, String(reason));
  });
}

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

/** A subscription refused for want of room, with the code LimitError has over HTTP. */
function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'LIMIT' } });
}

/**
 * Operations one connection may have open when it starts a subscription: its subscriptions, and
 * any query or mutation still running on it.
 */
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;

/**
 * Serves GraphQL over WebSocket (the graphql-ws protocol) on the HTTP server's upgrade of
 * GRAPHQL_PATH. Operations run through Yoga's envelope, so they get the same context, plugins
 * and error masking as over HTTP. Other upgrade paths are refused. With tokens configured, a
 * connection whose connection_init carries no valid one is closed with 4401 before any operation.
 * A message is at most `maxMessageBytes` (GRAPHQL_BODY_LIMIT_BYTES, as a request body over HTTP).
 *
 * Subscriptions that send the same document with the same variables share one source: each event
 * is executed once and its result handed to every subscriber's own bounded buffer (EventFeed.share).
 * Their results depend on nothing of the caller (authorisation happens when the connection opens),
 * so sharing changes nothing a subscriber sees, and a hundred dashboards cost one execution per event.
 */
export function attachGraphqlWebSocket(server: Server, api: GraphqlApi, guard: ApiGuard, feed: EventFeed, maxMessageBytes: number): { close(): Promise<void> } {
  // A message past GRAPHQL_BODY_LIMIT_BYTES closes the connection (1009) before it is buffered whole.
  const sockets = new WebSocketServer({ noServer: true, handleProtocols, maxPayload: maxMessageBytes });
  const cork = createCorker();
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (requestUrl(request)?.pathname !== GRAPHQL_PATH) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => serveConnection(protocol, client, socket, request, cork));
  };
  server.on('upgrade', onUpgrade);
  const options: ServerOptions<Record<string, unknown>, ConnectionExtra> = {
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
      return feed
        .share(root.shareKey, async (source) => {
          // The context is this operation's own (onSubscribe makes one per operation): its streams
          // become the shared source, so what they drop counts for every subscriber of the group.
          (args.contextValue as GraphqlContext).feed = source;
          const subscribed = await root.subscribe(args);
          return Symbol.asyncIterator in subscribed ? serializedOnce(subscribed) : subscribed;
        })
        .catch((error: unknown) => {
          // Full since onSubscribe looked (others subscribed meanwhile): this operation is
          // refused, the connection and its other operations go on.
          if (error instanceof LimitError) return { errors: [limitError(error.message)] };
          throw error;
        });
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
      if (getOperationAST(document, payload.operationName)?.operation === 'subscription') {
        // The entry of this operation is already in `subscriptions`.
        if (Object.keys(context.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [limitError(`at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions may be open on one connection`)];
        }
        try {
          feed.admit();
        } catch (error: unknown) {
          if (error instanceof LimitError) return [limitError(error.message)];
          throw error;
        }
      }
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
  };
  const protocol = makeServer(options);
  return {
    async close() {
      server.off('upgrade', onUpgrade);
      for (const client of sockets.clients) client.close(1001, 'Going away');
      await new Promise<void>((resolve, reject) => sockets.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
