import {
  getNamedType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_PAGE_SIZE, MAX_PREVIEW_COUNT } from '../../service/job-service.ts';

/**
 * The arguments that say how many items a field answers (pages, fire times), with the most each
 * takes: a larger value is refused by the field itself, with its own message, so it is counted
 * at that most and the field gets to say so.
 */
const SIZE_ARGUMENTS = [
  ['first', MAX_PAGE_SIZE],
  ['count', MAX_PREVIEW_COUNT],
] as const;

/**
 * What an operation may cost: every field counts 1, and a field that answers many items (its
 * `first` or `count`, or their defaults) counts what it selects that many times (a list of
 * scalars, its items). Depth alone
 * bounds nothing here: `executions(first: 500) { … job { executions(first: 500) … } }` three
 * levels down asks for 125 million rows, and aliases repeat a costly field as often as a body
 * holds them. Variables are known only at execution, so the cost is counted there, before any
 * resolver runs.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (operationName ? definition.name?.value === operationName : operation === undefined)) operation = definition;
  }
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const definitions = operation.variableDefinitions ?? [];
  // A variable a size argument reads, as execution will see it: with its default, coerced. One
  // that does not coerce fails the operation anyway; it is counted as absent. Only those are
  // coerced: the others (createJobs' list of 10,000 inputs) cost GraphQL's coercion ~9 µs an
  // item, and the cost never depends on them.
  const scopes = new Map<string, Record<string, unknown>>();
  function scopeOf(variable: string): Record<string, unknown> {
    let scope = scopes.get(variable);
    if (!scope) {
      const own = definitions.filter((definition) => definition.variable.name.value === variable);
      scope = getVariableValues(schema, own, variables).coerced ?? {};
      scopes.set(variable, scope);
    }
    return scope;
  }

  function sizeOf(field: GraphQLField<unknown, unknown>, node: FieldNode): number {
    for (const [name, most] of SIZE_ARGUMENTS) {
      const definition = field.args.find((argument) => argument.name === name);
      if (!definition) continue;
      const given = node.arguments?.find((argument) => argument.name.value === name)?.value;
      const scope = given?.kind === Kind.VARIABLE ? scopeOf(given.name.value) : undefined;
      // Absent or null, the field serves its default size.
      const value = (given ? valueFromAST(given, definition.type, scope) : undefined) ?? definition.defaultValue;
      return typeof value === 'number' && value > 0 ? Math.min(value, most) : 1;
    }
    return 1;
  }

  // Fragments spread in a cycle are refused by graphql's own rules; `visiting` only stops the walk.
  const visiting = new Set<string>();
  function costOf(selectionSet: SelectionSetNode, type: GraphQLCompositeType): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = 'getFields' in type ? type.getFields()[selection.name.value] : undefined;
        if (!field) {
          cost += 1;
          continue;
        }
        const fieldType = getNamedType(field.type);
        const size = sizeOf(field, selection);
        // A leaf counts its items (nextFireTimes(count: 100) computes 100); an object, 1 and what it selects for each.
        cost += selection.selectionSet && isCompositeType(fieldType) ? 1 + size * costOf(selection.selectionSet, fieldType) : size;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const fragmentType = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        cost += costOf(selection.selectionSet, fragmentType && isCompositeType(fragmentType) ? fragmentType : type);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        visiting.add(fragment.name.value);
        const fragmentType = schema.getType(fragment.typeCondition.name.value);
        cost += costOf(fragment.selectionSet, fragmentType && isCompositeType(fragmentType) ? fragmentType : type);
        visiting.delete(fragment.name.value);
      }
    }
    return cost;
  }

  return costOf(operation.selectionSet, root);
}

function refusal(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(`the operation would cost ${cost}; at most ${maxCost} is allowed (GRAPHQL_MAX_COST: each field counts 1, times the first or count of the fields above it)`, {
    extensions: { code: 'VALIDATION' },
  });
}

/** Refuses, before it runs, every operation (query, mutation or subscription) that costs more than `maxCost`. */
export function useMaxCost(maxCost: number): Plugin {
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: unknown }): GraphQLError | null => {
    const cost = operationCost(args.schema, args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>);
    return cost > maxCost ? refusal(cost, maxCost) : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
