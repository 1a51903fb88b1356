import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZeitgeberError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { AccessDeniedError, type ApiGuard, type Caller, type RouteAccess } from './auth.ts';
import type { StaticHandler } from './dashboard.ts';
import { BodyTooLargeError, graphqlBody, readBody, sendJson } from './json.ts';
import { requestIdOf } from './request-id.ts';
import { requestUrl } from './request-url.ts';

type RestHandler = (context: { request: IncomingMessage; response: ServerResponse }) => Promise<void>;
/** A REST route for a request: its handler and what it asks of the caller, 405, or null (404). */
export type RestMatch = { handle: RestHandler; access: RouteAccess } | { allowed: string[] } | null;
export type RestMatcher = (method: string, path: string) => RestMatch;

const STATUS_BY_CODE = { VALIDATION: 400, NOT_FOUND: 404, UNAVAILABLE: 503, LIMIT: 429 } as const;

/** Answers a refused request: its status, the message, and the header each status calls for. */
function sendAccessDenied(response: ServerResponse, error: AccessDeniedError, body: Record<string, unknown>): void {
  if (error.status === 401) response.setHeader('www-authenticate', 'Bearer');
  if (error.retryAfterSeconds !== null) response.setHeader('retry-after', String(error.retryAfterSeconds));
  sendJson(response, error.status, body);
}

/** Maps an error to a response: expected errors keep their message, anything else is masked. */
export function sendError(response: ServerResponse, error: unknown, logger: Logger): void {
  if (error instanceof AccessDeniedError) {
    sendAccessDenied(response, error, { error: error.message });
    return;
  }
  if (error instanceof ZeitgeberError) {
    sendJson(response, STATUS_BY_CODE[error.code], { error: error.message });
    return;
  }
  if (error instanceof URIError) {
    sendJson(response, 400, { error: 'the path is not valid percent-encoding' });
    return;
  }
  logger.error({ err: error }, 'unexpected error while answering a request');
  if (!response.headersSent) sendJson(response, 500, { error: 'Internal server error' });
  else response.destroy();
}

export interface HttpServerOptions {
  /**
   * The GraphQL API, answering every request on its path before the REST routes, with the caller
   * (null for the GraphiQL page, which is open) and the body already read within the limit.
   */
  graphql: { path: string; handle: (request: IncomingMessage, response: ServerResponse, caller: Caller | null) => void };
  rest: RestMatcher;
  /** The dashboard's files at `/`; null when not built. */
  dashboard: StaticHandler | null;
  guard: ApiGuard;
  /** Largest GraphQL request body (GRAPHQL_BODY_LIMIT_BYTES). */
  graphqlBodyLimitBytes: number;
  /**
   * Resolves when the API's work may run: between the engine's bursts (EnginePacer.whenQuiet).
   * Health, readiness and metrics answer at once.
   */
  pace?: () => Promise<void>;
  logger: Logger;
}

/** The GraphiQL page itself (a browser's GET of the path, no operation): static, so open. */
const isGraphiqlPage = (request: IncomingMessage, url: URL): boolean =>
  request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') && !url.searchParams.has('query');

/** Routes whose requests are logged at debug: probes and scrapers call them all the time. */
const QUIET_PATHS = /^\/(health|ready|metrics)\/?$/;

function notFound(request: IncomingMessage, response: ServerResponse, path: string): void {
  sendJson(response, 404, { error: `Not found: ${request.method} ${path}` });
}

/**
 * The one HTTP server of the service: every route on one port. Each request gets a request id
 * (the caller's `x-request-id` or a new one, echoed back) on its log line; API routes check the
 * caller's token before anything runs.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const { guard, logger } = options;
  return createServer((request, response) => {
    const startedAt = performance.now();
    const url = requestUrl(request);
    const requestId = requestIdOf(request);
    response.setHeader('x-request-id', requestId);
    const requestLogger = logger.child({ requestId });
    const path = url?.pathname ?? request.url;
    response.once('finish', () => {
      const line = { method: request.method, path, status: response.statusCode, durationMs: Math.round(performance.now() - startedAt) };
      if (url !== null && QUIET_PATHS.test(url.pathname)) requestLogger.debug(line, 'request');
      else requestLogger.info(line, 'request');
    });
    if (url === null) {
      sendJson(response, 400, { error: `Not a valid request path: ${JSON.stringify(request.url)}` });
      return;
    }
    if (url.pathname === options.graphql.path) {
      serveGraphql(options, request, response, url).catch((error: unknown) => sendError(response, error, requestLogger));
      return;
    }
    const matched = options.rest(request.method ?? 'GET', url.pathname);
    if (matched === null) {
      const isPageRequest = request.method === 'GET' || request.method === 'HEAD';
      if (isPageRequest && options.dashboard) options.dashboard(request, response, () => notFound(request, response, url.pathname));
      else notFound(request, response, url.pathname);
      return;
    }
    if (!('handle' in matched)) {
      response.setHeader('allow', matched.allowed.join(', '));
      sendJson(response, 405, { error: `Method ${request.method} is not allowed on ${url.pathname}; use ${matched.allowed.join(' or ')}` });
      return;
    }
    try {
      guard.authorize(matched.access, request.headers.authorization, request.socket.remoteAddress);
    } catch (error: unknown) {
      request.resume();
      sendError(response, error, requestLogger);
      return;
    }
    const handle = () => matched.handle({ request, response });
    const paced = options.pace && !QUIET_PATHS.test(url.pathname) ? options.pace().then(handle) : handle();
    paced.catch((error: unknown) => sendError(response, error, requestLogger));
  });
}

/**
 * GraphQL over HTTP: the caller must hold a token that can read (mutations are checked per
 * operation inside GraphQL), and the body is read here within the limit, so Yoga never buffers
 * more than GRAPHQL_BODY_LIMIT_BYTES. Refusals answer in both shapes: `error` as REST does, `errors` as
 * GraphQL clients read.
 */
async function serveGraphql(options: HttpServerOptions, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const refuse = (status: number, message: string, code: string, error?: AccessDeniedError) => {
    request.resume();
    const body = { error: message, errors: [{ message, extensions: { code } }] };
    if (error) sendAccessDenied(response, error, body);
    else sendJson(response, status, body);
  };
  let caller: Caller | null = null;
  if (!isGraphiqlPage(request, url)) {
    try {
      caller = options.guard.identify(request.headers.authorization, request.socket.remoteAddress);
    } catch (error: unknown) {
      if (error instanceof AccessDeniedError) return refuse(error.status, error.message, error.code, error);
      throw error;
    }
  }
  if (request.method === 'POST') {
    try {
      // Yoga's Node adapter takes a body that is already read from `request.body`.
      Object.assign(request, { body: graphqlBody(await readBody(request, options.graphqlBodyLimitBytes), request.headers['content-type']) });
    } catch (error: unknown) {
      if (error instanceof BodyTooLargeError) return refuse(413, error.message, 'VALIDATION');
      throw error;
    }
  }
  await options.pace?.();
  options.graphql.handle(request, response, caller);
}

/** Listens and resolves with the bound address (port 0 picks a free one). */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Stops accepting connections and closes idle keep-alive ones; open requests may finish. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
