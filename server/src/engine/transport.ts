/** One HTTP POST of a job's payload. */
export interface OutboundRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** What came back: a status code, or none and the reason (timeout, refused, reset…). */
export interface OutboundResult {
  statusCode: number | null;
  error: string | null;
  /** The Retry-After header of a 429 or 503, when the target sent one. */
  retryAfter?: string | null;
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
