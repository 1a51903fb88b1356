const BASE_MS = 500;
const CAP_MS = 5_000;
const JITTER_MS = 500;

/**
 * How long to wait before reconnect attempt `retries` (0 for the first): doubling from half a
 * second, capped at five, plus up to half a second of jitter so many open dashboards do not all
 * knock at once when a server comes back.
 */
export function reconnectDelayMs(retries: number, random: () => number = Math.random): number {
  const backoff = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, retries));
  return backoff + Math.floor(random() * JITTER_MS);
}
