import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZeitgeberError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { StaticHandler } from './dashboard.ts';
import { sendJson } from './json.ts';

type RestHandler = (context: { request: IncomingMessage; response: ServerResponse }) => Promise<void>;
export type RestMatcher = (method: string, path: string) => RestHandler | { allowed: string[] } | null;

const STATUS_BY_CODE = { VALIDATION: 400, NOT_FOUND: 404, UNAVAILABLE: 503 } as const;

/** Maps an error to a response: expected errors keep their message, anything else is masked. */
export function sendError(response: ServerResponse, error: unknown, logger: Logger): void {
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
  /** The GraphQL API, answering every request on its path before the REST routes. */
  graphql: { path: string; handle: (request: IncomingMessage, response: ServerResponse) => void };
  rest: RestMatcher;
  /** The dashboard's files at `/`; null when not built. */
  dashboard: StaticHandler | null;
  logger: Logger;
}

function notFound(request: IncomingMessage, response: ServerResponse, path: string): void {
  sendJson(response, 404, { error: `Not found: ${request.method} ${path}` });
}

/** The one HTTP server of the service: every route on one port. */
export function createHttpServer(options: HttpServerOptions): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === options.graphql.path) {
      options.graphql.handle(request, response);
      return;
    }
    const matched = options.rest(request.method ?? 'GET', url.pathname);
    if (matched === null) {
      const isPageRequest = request.method === 'GET' || request.method === 'HEAD';
      if (isPageRequest && options.dashboard) options.dashboard(request, response, () => notFound(request, response, url.pathname));
      else notFound(request, response, url.pathname);
      return;
    }
    if (typeof matched !== 'function') {
      response.setHeader('allow', matched.allowed.join(', '));
      sendJson(response, 405, { error: `Method ${request.method} is not allowed on ${url.pathname}; use ${matched.allowed.join(' or ')}` });
      return;
    }
    matched({ request, response }).catch((error: unknown) => sendError(response, error, options.logger));
  });
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
