import SchemaBuilder from '@pothos/core';
import type { GraphqlContext } from './context.ts';

/** The one Pothos builder; every file under schema/ adds its type family to it. */
export const builder = new SchemaBuilder<{
  Context: GraphqlContext;
  /** Instants travel as ISO-8601 strings and are milliseconds since the epoch inside. */
  Scalars: { DateTime: { Input: number; Output: number } };
  /** Fields are non-null unless they say otherwise, as the contract reads. */
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
