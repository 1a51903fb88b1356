import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a caller's request id may look like: short, and safe to echo in a header and a log line. */
const ACCEPTED_ID = /^[\w.:@/+=-]{1,128}$/;

/** The request's id: the caller's `x-request-id` when it is a sensible one, else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && ACCEPTED_ID.test(given) ? given : randomUUID();
}
