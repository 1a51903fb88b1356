import { getOperationAST, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

/** A document's compiled queries by operation name; null where the standard executor runs it. */
type Compiled = Map<string, CompiledQuery | null>;

/**
 * Queries run as code compiled once per document (graphql-jit) instead of being interpreted field
 * by field: a page of 50 jobs resolves some 600 fields, and the interpreter's per-field work
 * (type checks, argument coercion, promise bookkeeping) was a third of the read's time on the
 * engine's thread. Documents come from Yoga's parser cache, so the same query text is compiled
 * once while Yoga keeps it.
 *
 * A compiled result with errors is thrown away and the query runs again through the standard
 * executor, so every error answers word for word as before (locations, masking, codes); queries
 * only read, so running one twice changes nothing. Mutations and subscriptions always take the
 * standard path.
 */
export function useCompiledQueries(): Plugin {
  const compiled = new WeakMap<DocumentNode, Compiled>();

  function compiledFor(args: ExecutionArgs): CompiledQuery | null {
    let byName = compiled.get(args.document);
    if (!byName) {
      byName = new Map();
      compiled.set(args.document, byName);
    }
    const name = args.operationName ?? '';
    let query = byName.get(name);
    if (query === undefined) {
      query = compile(args);
      byName.set(name, query);
    }
    return query;
  }

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const query = compiledFor(args);
      if (query === null) return;
      setExecuteFn((executionArgs) => {
        const fallBack = (result: ExecutionResult) => (result.errors === undefined ? result : executeFn(executionArgs));
        const result = query.query(executionArgs.rootValue, executionArgs.contextValue, executionArgs.variableValues);
        return result instanceof Promise ? result.then(fallBack) : fallBack(result);
      });
    },
  };
}

/** The compiled query, or null for another kind of operation or a document it cannot compile. */
function compile(args: ExecutionArgs): CompiledQuery | null {
  if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return null;
  const query = compileQuery(args.schema, args.document, args.operationName ?? undefined);
  return isCompiledQuery(query) ? query : null;
}
