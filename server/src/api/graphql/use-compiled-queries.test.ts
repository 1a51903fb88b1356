import { GraphQLError, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useCompiledQueries } from './use-compiled-queries.ts';

const Item = new GraphQLObjectType({
  name: 'Item',
  fields: {
    n: { type: new GraphQLNonNull(GraphQLInt) },
    square: { type: GraphQLInt, resolve: (item: { n: number }) => item.n * item.n },
  },
});

let brokenCalls = 0;
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: { type: GraphQLString, args: { name: { type: new GraphQLNonNull(GraphQLString) } }, resolve: (_root, args: { name: string }) => `hello ${args.name}` },
      items: { type: new GraphQLList(Item), resolve: async () => [{ n: 1 }, { n: 2 }] },
      broken: {
        type: GraphQLString,
        resolve: () => {
          brokenCalls++;
          throw new GraphQLError('broken', { extensions: { code: 'BROKEN' } });
        },
      },
    },
  }),
});

async function answer(plugins: Plugin[], query: string, variables?: Record<string, unknown>): Promise<unknown> {
  const yoga = createYoga({ schema, plugins, maskedErrors: false, logging: false });
  const response = await yoga.fetch('http://127.0.0.1/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

describe('useCompiledQueries', () => {
  it('answers a query as the standard executor does', async () => {
    const query = 'query Page($name: String!) { hello(name: $name) items { n square } }';
    const compiled = await answer([useCompiledQueries()], query, { name: 'page' });
    expect(compiled).toStrictEqual(await answer([], query, { name: 'page' }));
    expect(compiled).toMatchObject({ data: { hello: 'hello page', items: [{ n: 1, square: 1 }, { n: 2, square: 4 }] } });
    expect(compiled).not.toHaveProperty('errors');
  });

  it('answers a query with errors exactly as the standard executor does, locations included', async () => {
    for (const [query, variables] of [
      ['{ hello(name: "x") broken }', undefined],
      ['query Q($name: String!) { hello(name: $name) }', { name: 3 }],
    ] as const) {
      const compiled = (await answer([useCompiledQueries()], query, variables)) as { errors: Array<{ locations?: unknown }> };
      expect(compiled).toStrictEqual(await answer([], query, variables));
      expect(compiled.errors[0]!.locations).toBeDefined();
    }
  });

  it('runs a query with errors through the standard executor after the compiled one', async () => {
    brokenCalls = 0;
    await answer([useCompiledQueries()], '{ broken }');
    expect(brokenCalls).toBe(2);
    brokenCalls = 0;
    await answer([], '{ broken }');
    expect(brokenCalls).toBe(1);
  });
});
