import { describe, expect, it } from 'vitest';
import { graphqlBody } from './json.ts';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('graphqlBody', () => {
  it('hands Yoga a JSON object already parsed, for the content types Yoga parses as JSON', () => {
    const operation = { query: '{ health }', variables: { a: 1 } };
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/graphql+json', 'application/json, text/plain']) {
      expect(graphqlBody(bytes(JSON.stringify(operation)), type)).toEqual(operation);
    }
  });

  it('leaves anything else as the bytes, for Yoga to answer as before', () => {
    const cases: Array<[string, string | undefined]> = [
      ['{"query":"{ health }"}', 'application/x-www-form-urlencoded'],
      ['{"query":"{ health }"}', undefined],
      ['{"query":', 'application/json'],
      ['[{"query":"{ health }"}]', 'application/json'],
      ['null', 'application/json'],
      ['{}', 'application/json'],
      ['42', 'application/json'],
      ['\uFEFF{"query":"{ health }"}', 'application/json'],
    ];
    for (const [text, type] of cases) {
      const body = bytes(text);
      expect(graphqlBody(body, type)).toBe(body);
    }
  });
});
