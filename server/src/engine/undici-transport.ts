import { Pool } from 'undici';
import { describeNetworkError, type OutboundRequest, type OutboundResult, type Transport } from './transport.ts';

export interface UndiciTransportOptions {
  /** Keep-alive connections per origin. */
  connectionsPerOrigin: number;
}

/**
 * The per-fire transport: one undici Pool per origin, kept alive across fires. About 6× the rate
 * of got on the same machine, which is why the hot path uses it.
 */
export function createUndiciTransport(options: UndiciTransportOptions): Transport {
  const pools = new Map<string, Pool>();

  function poolFor(origin: string): Pool {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: options.connectionsPerOrigin, pipelining: 1 });
      pools.set(origin, pool);
    }
    return pool;
  }

  return {
    async post(request: OutboundRequest): Promise<OutboundResult> {
      const url = new URL(request.url);
      try {
        const response = await poolFor(url.origin).request({
          method: 'POST',
          path: url.pathname + url.search,
          headers: request.headers,
          body: request.body,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        });
        await response.body.dump();
        const retryAfter = response.headers['retry-after'];
        return { statusCode: response.statusCode, error: null, retryAfter: typeof retryAfter === 'string' ? retryAfter : null };
      } catch (error: unknown) {
        return { statusCode: null, error: describeNetworkError(error, request.timeoutMs) };
      }
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
    },
  };
}
