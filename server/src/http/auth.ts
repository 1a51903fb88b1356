import { createHash, timingSafeEqual } from 'node:crypto';
import { RateLimiter } from './rate-limit.ts';

/** What a route asks of its caller: nothing, a token that can read, or one that can change. */
export type RouteAccess = 'open' | 'read' | 'write';

/** Who is calling: what their token may do, and a stable, non-secret key for their rate limit. */
export interface Caller {
  level: 'read' | 'write';
  principal: string;
}

/** Why a request is refused, with its HTTP status; mapped once per transport. */
export class AccessDeniedError extends Error {
  constructor(
    readonly status: 401 | 403 | 429,
    message: string,
    /** For 429: seconds until the next change is allowed. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'AccessDeniedError';
  }

  /** The GraphQL `extensions.code` of this refusal. */
  get code(): 'UNAUTHENTICATED' | 'FORBIDDEN' | 'RATE_LIMITED' {
    return this.status === 401 ? 'UNAUTHENTICATED' : this.status === 403 ? 'FORBIDDEN' : 'RATE_LIMITED';
  }
}

export interface ApiGuardOptions {
  /** Tokens that may read and change (API_TOKEN). */
  readWriteTokens: readonly string[];
  /** Tokens that may only read and subscribe (API_READ_TOKEN). */
  readOnlyTokens: readonly string[];
  /** Changes per minute and caller (MUTATION_RATE_PER_MINUTE). */
  changesPerMinute: number;
  now?: () => number;
}

interface KnownToken {
  hash: Buffer;
  caller: Caller;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Bearer-token access for every transport (REST, GraphQL over HTTP, SSE and WebSocket). Tokens are
 * compared as SHA-256 hashes with `timingSafeEqual`, against every configured token without an
 * early exit, so neither the content nor the position of a token leaks through timing. With no
 * token configured, every caller may read and change, keyed by its address for the rate limit.
 */
export class ApiGuard {
  readonly #tokens: KnownToken[];
  readonly #changes: RateLimiter;
  readonly #changesPerMinute: number;

  constructor(options: ApiGuardOptions) {
    const known = (tokens: readonly string[], level: Caller['level']): KnownToken[] =>
      tokens.map((token) => {
        const hash = sha256(token);
        return { hash, caller: { level, principal: `token:${hash.subarray(0, 6).toString('hex')}` } };
      });
    this.#tokens = [...known(options.readWriteTokens, 'write'), ...known(options.readOnlyTokens, 'read')];
    this.#changes = new RateLimiter(options.changesPerMinute, options.now);
    this.#changesPerMinute = options.changesPerMinute;
  }

  /** Whether any token is configured; without one the API is open. */
  get enabled(): boolean {
    return this.#tokens.length > 0;
  }

  /**
   * The caller of a request from its `Authorization` header value. Throws a 401 AccessDeniedError
   * when tokens are configured and this one is missing, malformed or unknown.
   */
  identify(authorization: string | undefined, remoteAddress: string | undefined): Caller {
    if (!this.enabled) return { level: 'write', principal: `address:${remoteAddress ?? 'unknown'}` };
    if (authorization === undefined || authorization.trim() === '') {
      throw new AccessDeniedError(401, 'this API needs a token: send the header "Authorization: Bearer <token>"');
    }
    const match = /^Bearer +(\S+) *$/i.exec(authorization.trim());
    if (match === null) throw new AccessDeniedError(401, 'the Authorization header must read "Bearer <token>"');
    const hash = sha256(match[1]!);
    let found: Caller | null = null;
    for (const known of this.#tokens) {
      if (timingSafeEqual(known.hash, hash) && found === null) found = known.caller;
    }
    if (found === null) throw new AccessDeniedError(401, 'the token is not valid: use one of API_TOKEN or API_READ_TOKEN');
    return found;
  }

  /** Checks that `caller` may reach a route that asks for `access`; throws a 401 or 403 AccessDeniedError. */
  authorize(access: RouteAccess, credential: string | undefined, remoteAddress: string | undefined): Caller | null {
    if (access === 'open') return null;
    const caller = this.identify(credential, remoteAddress);
    if (access === 'write') this.authorizeChange(caller);
    return caller;
  }

  /**
   * Checks that `caller` may make `changes` changes now (a GraphQL mutation makes one per root
   * field): a read-only token may not (403), and each caller's changes are rate limited (429 with
   * the seconds to wait; an operation of more changes than a minute allows is never let through).
   */
  authorizeChange(caller: Caller, changes = 1): void {
    if (caller.level !== 'write') {
      throw new AccessDeniedError(403, 'this token can only read; changes need a read-write token (API_TOKEN)');
    }
    if (changes > this.#changesPerMinute) {
      throw new AccessDeniedError(429, `this operation makes ${changes} changes; at most ${this.#changesPerMinute} a minute are allowed (MUTATION_RATE_PER_MINUTE)`);
    }
    const decision = this.#changes.take(caller.principal, changes);
    if (!decision.allowed) {
      throw new AccessDeniedError(
        429,
        `too many changes: at most ${this.#changesPerMinute} a minute (MUTATION_RATE_PER_MINUTE); try again in ${decision.retryAfterSeconds} s`,
        decision.retryAfterSeconds,
      );
    }
  }
}
