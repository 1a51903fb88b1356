import { GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * A validation rule that refuses operations nesting deeper than `maxDepth` fields, fragments
 * included. `ofType` (introspection's one-to-one type chain, ten levels deep in GraphiQL's own
 * query) does not add a level; every field that can fan out does, introspection's included.
 * Fragment depths are computed once each, so a document of many spreads costs linear time.
 */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const fragmentDepths = new Map<string, number>();

    function depthOf(selectionSet: SelectionSetNode): number {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const below = selection.selectionSet ? depthOf(selection.selectionSet) : 0;
          deepest = Math.max(deepest, selection.name.value === 'ofType' ? below : below + 1);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet));
        } else {
          deepest = Math.max(deepest, fragmentDepth(selection.name.value));
        }
      }
      return deepest;
    }

    function fragmentDepth(name: string): number {
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known;
      const fragment = fragments.get(name);
      // A cycle or an unknown fragment: graphql's own rules report it; count nothing here.
      fragmentDepths.set(name, 0);
      const depth = fragment ? depthOf(fragment.selectionSet) : 0;
      fragmentDepths.set(name, depth);
      return depth;
    }

    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`the operation nests ${depth} levels deep; at most ${maxDepth} are allowed (GRAPHQL_MAX_DEPTH)`, {
              nodes: [node],
              extensions: { code: 'VALIDATION' },
            }),
          );
        }
      },
    };
  };
}

/** Adds the depth limit to every validation, over HTTP and WebSocket alike. */
export function useMaxDepth(maxDepth: number): Plugin {
  const rule = maxDepthRule(maxDepth);
  return { onValidate: ({ addValidationRule }) => addValidationRule(rule) };
}
