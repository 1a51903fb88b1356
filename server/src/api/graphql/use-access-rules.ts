import { getOperationAST, GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AccessDeniedError, type ApiGuard } from '../../http/auth.ts';
import type { GraphqlContext } from './context.ts';

/**
 * The root fields an operation runs, through its fragments: each of a mutation's is a change
 * (`a: triggerJob(…) b: triggerJob(…)` makes two calls).
 */
function rootFieldCount(selectionSet: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.name.value.startsWith('__')) count++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(selection.selectionSet, document, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value);
      if (fragment) count += rootFieldCount(fragment.selectionSet, document, seen);
    }
  }
  return count;
}

/**
 * Mutations need a read-write token and are rate limited per caller, one change per root field; queries and subscriptions
 * only need the token that let the request in. A refusal is a GraphQL error with
 * `extensions.code` FORBIDDEN or RATE_LIMITED (with `retryAfterSeconds`), and nothing runs.
 */
export function useAccessRules(guard: ApiGuard): Plugin<GraphqlContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const { caller } = args.contextValue as GraphqlContext;
      try {
        if (caller === null) throw new AccessDeniedError(403, 'this request carries no caller; send a token');
        guard.authorizeChange(caller, rootFieldCount(operation.selectionSet, args.document));
      } catch (error: unknown) {
        if (!(error instanceof AccessDeniedError)) throw error;
        const extensions = error.retryAfterSeconds === null ? { code: error.code } : { code: error.code, retryAfterSeconds: error.retryAfterSeconds };
        setResultAndStopExecution({ errors: [new GraphQLError(error.message, { extensions })] });
      }
    },
  };
}
