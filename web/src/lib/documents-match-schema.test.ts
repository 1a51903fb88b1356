import { buildSchema, print, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as auth from '../features/auth/api/auth-documents.ts';
import * as failures from '../features/failures/api/failures-documents.ts';
import * as audit from '../features/job-detail/api/audit-documents.ts';
import * as jobDetail from '../features/job-detail/api/job-detail-documents.ts';
import * as jobEditor from '../features/job-editor/api/job-editor-documents.ts';
import * as jobs from '../features/jobs/api/jobs-documents.ts';
import * as overview from '../features/overview/api/overview-documents.ts';
import schemaText from '../../../server/schema.graphql?raw';

/** The schema the server prints and commits: the contract every document here must satisfy. */
const schema = buildSchema(schemaText);

function isDocument(value: unknown): value is DocumentNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Document';
}

const documents = Object.entries({ ...auth, ...failures, ...audit, ...jobDetail, ...jobEditor, ...jobs, ...overview }).filter(
  (entry): entry is [string, DocumentNode] => isDocument(entry[1]),
);

describe('GraphQL documents', () => {
  it('are all collected', () => {
    expect(documents.length).toBeGreaterThanOrEqual(18);
  });

  it.each(documents)('%s is valid against server/schema.graphql', (_name, document) => {
    const errors = validate(schema, JSON.parse(JSON.stringify(document)) as DocumentNode).map((error) => error.message);
    expect(errors, print(document)).toEqual([]);
  });
});
