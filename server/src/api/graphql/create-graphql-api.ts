import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaLogger } from 'graphql-yoga';
import type { Logger } from '../../logger.ts';
import { createGraphqlContext, type GraphqlDeps } from './context.ts';
import { schema } from './schema/index.ts';
import { useExpectedErrors } from './use-expected-errors.ts';

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
export function createGraphqlApi(deps: GraphqlDeps & { logger: Logger }) {
  const yoga = createYoga({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: { title: 'Zeitgeber GraphQL' },
    // GraphiQL's page with its scripts inlined: it works where the browser cannot reach a CDN.
    renderGraphiQL,
    landingPage: false,
    logging: yogaLogger(deps.logger),
    maskedErrors: { isDev: false },
    context: () => createGraphqlContext(deps),
    plugins: [useExpectedErrors()],
  });
  return {
    yoga,
    /** Answers one HTTP request on GRAPHQL_PATH. */
    handle(request: IncomingMessage, response: ServerResponse): void {
      yoga.requestListener(request, response);
    },
  };
}

export type GraphqlApi = ReturnType<typeof createGraphqlApi>;
