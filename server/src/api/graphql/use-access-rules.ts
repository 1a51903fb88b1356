import { getOperationAST, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AccessDeniedError, type ApiGuard } from '../../http/auth.ts';
import type { GraphqlContext } from './context.ts';

/**
 * Mutations need a read-write token and are rate limited per caller; queries and subscriptions
 * only need the token that let the request in. A refusal is a GraphQL error with
 * `extensions.code` FORBIDDEN or RATE_LIMITED (with `retryAfterSeconds`), and nothing runs.
 */
export function useAccessRules(guard: ApiGuard): Plugin<GraphqlContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      const { caller } = args.contextValue as GraphqlContext;
      try {
        if (caller === null) throw new AccessDeniedError(403, 'this request carries no caller; send a token');
        guard.authorizeChange(caller);
      } catch (error: unknown) {
        if (!(error instanceof AccessDeniedError)) throw error;
        const extensions = error.retryAfterSeconds === null ? { code: error.code } : { code: error.code, retryAfterSeconds: error.retryAfterSeconds };
        setResultAndStopExecution({ errors: [new GraphQLError(error.message, { extensions })] });
      }
    },
  };
}
