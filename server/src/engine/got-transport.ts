import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got from 'got';
import { createGuardedAgents, type TargetGuard } from './target-guard.ts';
import { describeNetworkError, type OutboundRequest, type OutboundResult, type Transport } from './transport.ts';

export interface GotTransportOptions {
  /** Keep-alive sockets per origin. */
  connectionsPerOrigin: number;
  /** The target policy, checked on each new connection's address; none checks nothing. */
  guard?: TargetGuard | null;
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
        const response = await client.post(request.url, { body: request.body, headers: request.headers, timeout: { request: request.timeoutMs } });
        const retryAfter = response.headers['retry-after'];
        return { statusCode: response.statusCode, error: null, retryAfter: typeof retryAfter === 'string' ? retryAfter : null };
      } catch (error: unknown) {
        return { statusCode: null, error: describeNetworkError(error, request.timeoutMs) };
      }
    },
    async close() {
      agents.destroy();
    },
  };
}
