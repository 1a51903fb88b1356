import { Pool } from 'undici';
import type { TargetGuard } from './target-guard.ts';
import { bodyWanted, describeNetworkError, readBodyPrefix, type OutboundRequest, type OutboundResult, type Transport } from './transport.ts';

const PARSED_URL_CACHE_SIZE = 100_000;

export interface UndiciTransportOptions {
  /** Keep-alive connections per origin. */
  connectionsPerOrigin: number;
  /** The target policy, checked on each new connection's address; none checks nothing. */
  guard?: TargetGuard | null;
}

/**
 * The per-fire transport: one undici Pool per origin, kept alive across fires. About 6× the rate
 * of got on the same machine, which is why the hot path uses it.
 */
export function createUndiciTransport(options: UndiciTransportOptions): Transport {
  const pools = new Map<string, Pool>();
  /** Parsed target URLs: a job sends to the same URL at every fire. */
  const targets = new Map<string, { origin: string; path: string; refused: Error | null }>();
  const guard = options.guard ?? null;

  function targetOf(url: string): { origin: string; path: string; refused: Error | null } {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      // An IP-literal host is connected to without a lookup: the policy is checked here instead.
      target = { origin: parsed.origin, path: parsed.pathname + parsed.search, refused: guard?.checkHost(parsed.hostname) ?? null };
      if (targets.size >= PARSED_URL_CACHE_SIZE) targets.delete(targets.keys().next().value!);
      targets.set(url, target);
    }
    return target;
  }

  function poolFor(origin: string): Pool {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: options.connectionsPerOrigin,
        pipelining: 1,
        ...(guard ? { connect: { lookup: guard.lookup } } : {}),
      });
      pools.set(origin, pool);
    }
    return pool;
  }

  return {
    async post(request: OutboundRequest): Promise<OutboundResult> {
      const target = targetOf(request.url);
      if (target.refused !== null) return { statusCode: null, error: target.refused.message };
      try {
        const response = await poolFor(target.origin).request({
          method: 'POST',
          path: target.path,
          headers: request.headers,
          body: request.body,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        });
        const retryAfter = response.headers['retry-after'];
        const body = bodyWanted(request, response.statusCode) ? await readBodyPrefix(response.body) : (await response.body.dump(), null);
        return { statusCode: response.statusCode, error: null, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body };
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
