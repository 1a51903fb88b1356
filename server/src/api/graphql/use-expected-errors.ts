import { GraphQLError, type ExecutionResult } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { ValidationError, ZeitgeberError } from '../../domain/errors.ts';

/** The REST body is the GraphQL `input` argument: a rule on the whole body names it. */
const graphqlField = (field: string): string => (field === 'body' ? 'input' : field);

function toGraphqlError(error: GraphQLError): GraphQLError {
  const cause = error.originalError;
  if (!(cause instanceof ZeitgeberError)) return error;
  return new GraphQLError(cause.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: cause instanceof ValidationError ? { code: cause.code, field: graphqlField(cause.field) } : { code: cause.code },
  });
}

function mapResult({ result, setResult }: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }): void {
  if (result.errors?.some((error) => error.originalError instanceof ZeitgeberError)) {
    setResult({ ...result, errors: result.errors.map(toGraphqlError) });
  }
}

/**
 * Maps the service's expected errors, once for every transport, to GraphQL errors that keep the
 * service's message, with `extensions.code` (VALIDATION with the input `field`, NOT_FOUND). It
 * runs before Yoga's masking, which then lets them through and masks everything else.
 */
export function useExpectedErrors(): Plugin {
  return {
    onExecute: () => ({ onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, mapResult) }),
    onSubscribe: () => ({ onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, mapResult) }),
  };
}
