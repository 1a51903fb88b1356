import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '../domain/errors.ts';

/** A request body over the configured limit (BODY_LIMIT_BYTES). */
export class BodyTooLargeError extends ValidationError {
  constructor(limitBytes: number) {
    super('body', `request body is larger than the limit of ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a request body, refusing one over `limitBytes` (by its declared length before reading,
 * or as soon as it grows past the limit) with a BodyTooLargeError. Read through events rather
 * than an async iterator, which costs ~20 µs a request on its own.
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    return Promise.reject(new BodyTooLargeError(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | null): void => {
      request.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        request.resume();
        settle(new BodyTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => settle(null);
    const onClose = (): void => settle(new Error('the request closed before its body was read'));
    request.on('data', onData).once('end', onEnd).once('error', settle).once('close', onClose);
  });
}

/** Reads a request body as JSON, refusing bodies over `limitBytes` and malformed JSON. */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const text = (await readBody(request, limitBytes)).toString('utf8');
  if (text.trim() === '') throw new ValidationError('body', 'request body is empty; send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError('body', `request body is not valid JSON: ${reason}`);
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
