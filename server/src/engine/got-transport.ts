import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import got, { type Response } from 'got';
import { createGuardedAgents, type TargetGuard } from './target-guard.ts';
import { bodyWanted, describeNetworkError, readBodyPrefix, type OutboundRequest, type OutboundResult, type Transport } from './transport.ts';

export interface GotTransportOptions {
  /** Keep-alive sockets per origin. */
  connectionsPerOrigin: number;
  /** The target policy, checked on each new connection's address; none checks nothing. */
  guard?: TargetGuard | null;
}

/** Bytes of an unwanted body drained so the connection can be reused; past this it is closed instead. */
const DISCARD_LIMIT = 131_072;

/** Drains an unwanted body (bounded, see DISCARD_LIMIT); a failure on the way changes nothing. */
async function discard(stream: Readable): Promise<null> {
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > DISCARD_LIMIT) break;
    }
  } catch {
    // The status is what counts: a body cut short after it does not change the outcome.
  }
  return null;
}

/**
 * The per-fire transport on got (keep-alive agents, no retries: the dispatcher owns retries).
 * Not the default — undici's Pool sends about 6× more calls a second here — but selectable
 * (`TRANSPORT=got`) so the benchmark keeps that choice proven on the same scenario.
 */
export function createGotTransport(options: GotTransportOptions): Transport {
  const agents = options.guard
    ? createGuardedAgents(options.guard)
    : (() => {
        const http = new HttpAgent({ keepAlive: true, maxSockets: options.connectionsPerOrigin });
        const https = new HttpsAgent({ keepAlive: true, maxSockets: options.connectionsPerOrigin });
        return { http, https, destroy: () => (http.destroy(), https.destroy()) };
      })();
  const client = got.extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    agent: { http: agents.http, https: agents.https },
  });
  return {
    async post(request: OutboundRequest): Promise<OutboundResult> {
      try {
        // The stream form, so a body is never buffered whole: read up to the prefix, or drained.
        const stream = client.stream.post(request.url, { body: request.body, headers: request.headers, timeout: { request: request.timeoutMs } });
        const response = await new Promise<Response>((resolve, reject) => {
          stream.once('response', resolve);
          stream.once('error', reject);
        });
        const retryAfter = response.headers['retry-after'];
        const body = bodyWanted(request, response.statusCode) ? await readBodyPrefix(stream) : await discard(stream);
        return { statusCode: response.statusCode, error: null, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body };
      } catch (error: unknown) {
        return { statusCode: null, error: describeNetworkError(error, request.timeoutMs) };
      }
    },
    async close() {
      agents.destroy();
    },
  };
}
