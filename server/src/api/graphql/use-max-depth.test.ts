import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maxDepthRule } from './use-max-depth.ts';

const schema = buildSchema(`
  type Job { id: ID! next: Job children: [Job!]! }
  type Query { job: Job }
`);

const errorsOf = (query: string, maxDepth: number) => validate(schema, parse(query), [maxDepthRule(maxDepth)]).map((error) => error.message);

describe('maxDepthRule', () => {
  it('counts nested fields, through inline fragments and named fragments', () => {
    expect(errorsOf('{ job { next { next { id } } } }', 4)).toEqual([]);
    expect(errorsOf('{ job { next { next { next { id } } } } }', 4)).toEqual([
      'the operation nests 5 levels deep; at most 4 are allowed (GRAPHQL_MAX_DEPTH)',
    ]);
    expect(errorsOf('{ job { ... on Job { next { ...Deep } } } } fragment Deep on Job { next { next { id } } }', 4)).toHaveLength(1);
  });

  it('lets GraphiQL introspect at the default limit, but counts introspection that fans out', () => {
    expect(errorsOf(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }), 12)).toEqual([]);
    expect(errorsOf('{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }', 8)).toHaveLength(1);
  });

  it('stays linear on many spreads of the same fragments, and survives a cycle', () => {
    const spreads = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Job { next { ...F${i + 1} ...F${i + 1} } }`).join('\n');
    expect(errorsOf(`{ job { ...F0 } } ${spreads} fragment F30 on Job { id }`, 100)).toEqual([]);
    expect(errorsOf('{ job { ...A } } fragment A on Job { next { ...B } } fragment B on Job { next { ...A } }', 12)).toEqual([]);
  });
});
