import { ValidationError } from './errors.ts';

/** Cursors are opaque to clients: base64url of a small JSON value. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor and checks its shape; a bad one is a VALIDATION error on `field`. */
export function decodeCursor<T>(cursor: string, field: string, isValid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isValid(value)) throw new ValidationError(field, `"${field}" is not a cursor returned by this API`);
  return value;
}
