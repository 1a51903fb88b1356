import { lookup as dnsLookup, promises as dns, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { addressRefusal, ipLiteral, type TargetPolicy } from '../domain/target-policy.ts';

/** A connection the target policy refused; nothing was sent. */
export class TargetRefusedError extends Error {
  readonly code = 'ERR_TARGET_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/**
 * TARGET_POLICY applied where it cannot be dodged: on the address a connection actually goes to.
 * `lookup` replaces dns.lookup on new connections (one resolution, checked, then connected to;
 * keep-alive connections need none), and `checkHost` covers IP-literal hosts, which Node connects
 * to without a lookup.
 */
export interface TargetGuard {
  readonly policy: TargetPolicy;
  /** A net.connect `lookup` that fails with TargetRefusedError when any address is refused. */
  readonly lookup: LookupFunction;
  /** The refusal for a URL hostname that is an IP literal; null for names and allowed addresses. */
  checkHost(hostname: string): TargetRefusedError | null;
  /**
   * Resolves a URL's host (every address) and says why the policy refuses it, or null. A host
   * that does not resolve now is not refused here: the check at connection time still applies.
   */
  refusalOf(url: string): Promise<string | null>;
}

function firstRefusal(policy: TargetPolicy, addresses: readonly LookupAddress[]): string | null {
  for (const { address } of addresses) {
    const refusal = addressRefusal(policy, address);
    if (refusal !== null) return refusal;
  }
  return null;
}

/** The guard of a policy; null for `allow-all`, which checks nothing. */
export function createTargetGuard(policy: TargetPolicy): TargetGuard | null {
  if (policy === 'allow-all') return null;
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refusal = firstRefusal(policy, addresses);
      if (refusal !== null) return callback(new TargetRefusedError(`not sent: ${hostname} resolves to ${refusal}`), '', 0);
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  return {
    policy,
    lookup,
    checkHost(hostname) {
      const literal = ipLiteral(hostname);
      const refusal = literal === null ? null : addressRefusal(policy, literal);
      return refusal === null ? null : new TargetRefusedError(`not sent: the target is ${refusal}`);
    },
    async refusalOf(url) {
      const { hostname } = new URL(url);
      const literal = ipLiteral(hostname);
      let addresses: LookupAddress[];
      try {
        addresses = literal === null ? await dns.lookup(hostname, { all: true }) : [{ address: literal, family: 0 }];
      } catch {
        return null;
      }
      const refusal = firstRefusal(policy, addresses);
      return refusal === null ? null : `host ${hostname} resolves to ${refusal}`;
    },
  };
}

type ConnectionCallback = (error: Error | null, socket: Duplex) => void;

/** Refuses an IP-literal host before any socket exists (names go through the guard's lookup). */
function refuseLiteral(guard: TargetGuard, host: string | null | undefined, callback: ConnectionCallback | undefined): boolean {
  const refused = guard.checkHost(host ?? '');
  if (refused === null) return false;
  callback?.(refused, undefined as unknown as Duplex);
  return true;
}

/** An http.Agent (keep-alive) that connects only where the guard allows. */
class GuardedHttpAgent extends HttpAgent {
  constructor(private readonly guard: TargetGuard) {
    super({ keepAlive: true, lookup: guard.lookup });
  }

  override createConnection(options: ClientRequestArgs, callback?: ConnectionCallback): Duplex | null | undefined {
    return refuseLiteral(this.guard, options.host, callback) ? undefined : super.createConnection(options, callback);
  }
}

/** An https.Agent (keep-alive) that connects only where the guard allows. */
class GuardedHttpsAgent extends HttpsAgent {
  constructor(private readonly guard: TargetGuard) {
    super({ keepAlive: true, lookup: guard.lookup });
  }

  override createConnection(options: RequestOptions, callback?: ConnectionCallback): Duplex | null | undefined {
    return refuseLiteral(this.guard, options.host, callback) ? undefined : super.createConnection(options, callback);
  }
}

/** The agents the alerter (got) connects through under a guard; `destroy()` closes their sockets. */
export function createGuardedAgents(guard: TargetGuard): { http: HttpAgent; https: HttpsAgent; destroy(): void } {
  const http = new GuardedHttpAgent(guard);
  const https = new GuardedHttpsAgent(guard);
  return {
    http,
    https,
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}
