/** A seeded source of random numbers, so that a crash run's plan can be replayed from its seed. */
export interface Random {
  /** A uniform number in [min, max). */
  between(min: number, max: number): number;
}

/** mulberry32: small, fast and good enough to pick kill instants; `seed` is taken as a 32-bit integer. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { between: (min, max) => min + next() * (max - min) };
}
