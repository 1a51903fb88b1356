import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSortedSchema, SCHEMA_FILE } from '../src/api/graphql/schema-file.ts';

describe('committed GraphQL schema', () => {
  it('matches the schema the code builds (run `pnpm --filter @zeitgeber/server schema:print` after a change)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printSortedSchema());
  });
});
