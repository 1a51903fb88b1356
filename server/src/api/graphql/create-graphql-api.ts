import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type YogaLogger } from 'graphql-yoga';
import type { ApiGuard, Caller } from '../../http/auth.ts';
import type { Logger } from '../../logger.ts';
import { createGraphqlContext, type GraphqlDeps } from './context.ts';
import { useCreateJobsInputs } from './create-jobs-inputs.ts';
import { schema } from './schema/index.ts';
import { useAccessRules } from './use-access-rules.ts';
import { useCompiledQueries } from './use-compiled-queries.ts';
import { useExpectedErrors } from './use-expected-errors.ts';
import { useMaxCost } from './use-max-cost.ts';
import { useMaxDepth } from './use-max-depth.ts';

/** What both transports hand Yoga: the HTTP request (for WebSocket, the upgrade request). */
interface GraphqlServerContext {
  req: IncomingMessage;
}

/** Where GraphQL is served: queries, mutations, SSE subscriptions and the graphql-ws upgrade. */
export const GRAPHQL_PATH = '/graphql';

function yogaLogger(logger: Logger): YogaLogger {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const [first, ...rest] = args;
      if (first instanceof Error) logger[level]({ err: first }, 'graphql: unexpected error');
      else logger[level]({ details: rest }, `graphql: ${String(first)}`);
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}

/**
 * The GraphQL API over the service layer, with GraphiQL at the same path. Expected errors keep
 * their message and code; anything else is logged and answered as "Unexpected error.".
 */
export function createGraphqlApi(deps: GraphqlDeps & { logger: Logger; guard: ApiGuard; maxDepth: number; maxCost: number }) {
  /** The caller of each admitted request; entries go with their requests. */
  const callers = new WeakMap<IncomingMessage, Caller>();
  const yoga = createYoga<GraphqlServerContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: { title: 'Zeitgeber GraphQL' },
    // GraphiQL's page with its scripts inlined: it works where the browser cannot reach a CDN. Its
    // 9 MB of script are loaded on the first request for the page, so a server nobody opens GraphiQL
    // on never holds them (about 48 MB of RSS); that first request compiles them on this thread,
    // about 0.2 s here, once per process, and fires due meanwhile go out that much late.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    landingPage: false,
    logging: yogaLogger(deps.logger),
    maskedErrors: { isDev: false },
    // The HTTP layer reads each body within GRAPHQL_BODY_LIMIT_BYTES and hands Yoga the parsed
    // operation. Yoga's own limit would stream that operation through a size-counting pipeline
    // and parse its JSON again, about a tenth of a read's time on the engine's thread.
    maxRequestBodySize: false,
    context: ({ req }) => createGraphqlContext(deps, callers.get(req) ?? null),
    plugins: [useCompiledQueries(), useMaxDepth(deps.maxDepth), useAccessRules(deps.guard), useMaxCost(deps.maxCost), useCreateJobsInputs(schema), useExpectedErrors()],
  });
  return {
    yoga,
    /** Records who sent `request` (or opened the WebSocket it upgraded), for its operations' context. */
    admit(request: IncomingMessage, caller: Caller): void {
      callers.set(request, caller);
    },
    /** Answers one HTTP request on GRAPHQL_PATH, from a caller the HTTP layer identified. */
    handle(request: IncomingMessage, response: ServerResponse, caller: Caller | null): void {
      if (caller !== null) callers.set(request, caller);
      void yoga.requestListener(request, response);
    },
  };
}

export type GraphqlApi = ReturnType<typeof createGraphqlApi>;
