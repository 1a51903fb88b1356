import type { JobPolicy } from '../domain/job-policy.ts';
import { wantsResponseBody } from './success-criteria.ts';

/**
 * Most bytes of a response body ever read: enough for a success pattern and a snippet, never a
 * huge body (the rest is discarded and the connection closed).
 */
export const BODY_PREFIX_BYTES = 4_096;

/** One HTTP POST of a job's payload. */
export interface OutboundRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /**
   * The job's success criteria: the body is read (its first BODY_PREFIX_BYTES) only when they
   * need it, or to explain a failure. Absent: the body is always discarded.
   */
  policy?: JobPolicy;
}

/** What came back: a status code, or none and the reason (timeout, refused, reset…). */
export interface OutboundResult {
  statusCode: number | null;
  error: string | null;
  /** The Retry-After header of a 429 or 503, when the target sent one. */
  retryAfter?: string | null;
  /** The start of the body (at most BODY_PREFIX_BYTES, as UTF-8), when it was wanted. */
  body?: string | null;
}

/** Whether the body of a response with this status is read, for this request. */
export function bodyWanted(request: OutboundRequest, statusCode: number): boolean {
  return request.policy !== undefined && wantsResponseBody(request.policy, statusCode);
}

/**
 * Reads at most `limit` bytes of a body and decodes them; stops (destroying the stream, so the
 * connection is not reused) as soon as it has them. A body cut by an error keeps what arrived.
 */
export async function readBodyPrefix(body: AsyncIterable<Buffer | string>, limit = BODY_PREFIX_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(bytes);
      size += bytes.length;
      if (size >= limit) break;
    }
  } catch {
    // A body cut short still explains what came back: keep what arrived.
  }
  return Buffer.concat(chunks, Math.min(size, limit)).toString('utf8');
}

/**
 * The engine's only view of HTTP: the per-fire path uses undici's Pool per origin behind it, and
 * the benchmark can swap in another client to compare them on the same scenario.
 */
export interface Transport {
  post(request: OutboundRequest): Promise<OutboundResult>;
  close(): Promise<void>;
}

/** A short, stable description of a network failure. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_TARGET_REFUSED') return error.message;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT' || error.name === 'TimeoutError') {
    return `timed out after ${timeoutMs} ms`;
  }
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
