import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from './schema/index.ts';
import { operationCost } from './use-max-cost.ts';

const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => operationCost(schema, parse(query), operationName, variables);

describe('operationCost', () => {
  it('counts every field once, and what a sized field selects as many times as it answers', () => {
    expect(cost('{ health { status } }')).toBe(2);
    // jobs 1 + 10 × (edges 1 + node 1 + id 1)
    expect(cost('{ jobs(first: 10) { edges { node { id } } } }')).toBe(31);
    // the argument's default (50) when none is given, and a variable's value when it is one
    expect(cost('{ jobs { edges { node { id } } } }')).toBe(151);
    expect(cost('query ($n: Int) { jobs(first: $n) { edges { node { id } } } }', { n: 3 })).toBe(10);
    expect(cost('query ($id: ID!) { job(id: $id) { nextFireTimes(count: 100) } }', { id: 'x' })).toBe(101);
    // A variable's own default counts when no value is sent, and null counts as the field's default.
    expect(cost('query ($n: Int = 400) { jobs(first: $n) { edges { node { id } } } }')).toBe(1 + 400 * 3);
    expect(cost('{ jobs(first: null) { edges { node { id } } } }')).toBe(151);
    expect(cost('query ($n: Int) { jobs(first: $n) { edges { node { id } } } }', { n: null })).toBe(151);
    // Another variable that does not coerce leaves the size's own variable counted as sent.
    expect(cost('query ($n: Int, $id: ID!) { jobs(first: $n) { edges { node { id } } } job(id: $id) { id } }', { n: 3 })).toBe(10 + 2);
  });

  it('multiplies nested pages, and adds up aliases and fragments', () => {
    const nested = '{ executions(first: 500) { edges { node { job { executions(first: 500) { edges { node { id } } } } } } } }';
    expect(cost(nested)).toBe(1 + 500 * (1 + 1 + 1 + (1 + 500 * 3)));
    const aliased = '{ a: jobs(first: 2) { edges { node { id } } } b: jobs(first: 2) { edges { node { id } } } }';
    expect(cost(aliased)).toBe(2 * 7);
    const withFragment = 'query Q { jobs(first: 2) { ...Page } } fragment Page on JobConnection { edges { node { id schedule } } }';
    expect(cost(withFragment, {}, 'Q')).toBe(1 + 2 * 4);
  });
});
