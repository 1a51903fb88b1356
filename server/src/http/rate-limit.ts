/** The answer of a rate limiter: allowed, or how long to wait before the next try. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets kept at most; past it, the full (idle) ones are forgotten, then the oldest. */
const MAX_BUCKETS = 10_000;

/**
 * A token bucket per key, in memory: each key may spend `perMinute` at once and regains them
 * evenly over a minute. Bounded: a flood of distinct keys forgets idle buckets first, which only
 * ever gives a forgotten key a full bucket again.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#capacity = perMinute;
    this.#refillPerMs = perMinute / 60_000;
    this.#now = now;
  }

  /** Spends `count` tokens of `key`'s bucket when it has them all; none otherwise. */
  take(key: string, count = 1): RateDecision {
    const now = this.#now();
    const bucket = this.#bucket(key, now);
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.updatedAt) * this.#refillPerMs);
    bucket.updatedAt = now;
    if (bucket.tokens >= count) {
      bucket.tokens -= count;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((count - bucket.tokens) / this.#refillPerMs / 1_000)) };
  }

  #bucket(key: string, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (bucket) return bucket;
    if (this.#buckets.size >= MAX_BUCKETS) this.#forget(now);
    bucket = { tokens: this.#capacity, updatedAt: now };
    this.#buckets.set(key, bucket);
    return bucket;
  }

  #forget(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.#refillPerMs >= this.#capacity) this.#buckets.delete(key);
    }
    if (this.#buckets.size >= MAX_BUCKETS) this.#buckets.delete(this.#buckets.keys().next().value!);
  }
}
