/**
 * The last `capacity` samples of a measure (e.g. fire lag in ms), for percentiles over a recent
 * window. Recording is O(1); a percentile sorts a copy, so read it on demand, not per sample.
 */
export class SampleWindow {
  readonly #samples: Float64Array;
  #next = 0;
  #filled = 0;

  constructor(readonly capacity: number) {
    this.#samples = new Float64Array(capacity);
  }

  record(value: number): void {
    this.#samples[this.#next] = value;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#filled < this.capacity) this.#filled++;
  }

  get size(): number {
    return this.#filled;
  }

  /** Percentiles (0–100) of the window, by nearest rank; null when empty. */
  percentiles(ranks: readonly number[]): Array<number | null> {
    if (this.#filled === 0) return ranks.map(() => null);
    const sorted = this.#samples.slice(0, this.#filled).sort();
    return ranks.map((rank) => sorted[Math.min(this.#filled - 1, Math.max(0, Math.ceil((rank / 100) * this.#filled) - 1))]!);
  }

  max(): number | null {
    if (this.#filled === 0) return null;
    let max = -Infinity;
    for (let i = 0; i < this.#filled; i++) max = Math.max(max, this.#samples[i]!);
    return max;
  }
}
