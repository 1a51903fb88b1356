import { GraphQLError } from 'graphql';
import { lastInstantFormatter } from '../../../domain/instant-text.ts';
import { builder } from '../builder.ts';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function parseInstant(value: unknown): number {
  const ms = typeof value === 'string' && ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new GraphQLError(`DateTime must be an ISO-8601 instant with an offset, e.g. 2026-11-26T22:04:10.000Z; got ${JSON.stringify(value)}`, {
      extensions: { code: 'VALIDATION' },
    });
  }
  return ms;
}

/** The events of one burst share their scheduled instant: it is formatted once. */
const serializeInstant = lastInstantFormatter();

builder.scalarType('DateTime', {
  description: 'An instant as an ISO-8601 string in UTC, e.g. 2026-11-26T22:04:10.000Z.',
  serialize: serializeInstant,
  parseValue: parseInstant,
});
