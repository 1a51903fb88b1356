/**
 * A Prometheus histogram kept as plain counts and rendered at scrape time. It exists for the
 * figures observed at every fire (fire lag, call duration): prom-client's `observe` resolves a label
 * set and allocates on each call, which cost about 8 µs per fire on the engine's thread, against a
 * few array increments here. Values are observed in milliseconds and rendered in seconds.
 */
export class TalliedHistogram {
  readonly #name: string;
  readonly #help: string;
  /** Upper bounds in ms, ascending; `+Inf` is implied. */
  readonly #boundsMs: readonly number[];
  /** Observations per bucket (not cumulative); the last one is `+Inf`. */
  readonly #counts: Float64Array;
  #sumMs = 0;
  #count = 0;

  constructor(name: string, help: string, boundsSeconds: readonly number[]) {
    this.#name = name;
    this.#help = help;
    this.#boundsMs = boundsSeconds.map((seconds) => seconds * 1_000);
    this.#counts = new Float64Array(boundsSeconds.length + 1);
  }

  observe(valueMs: number): void {
    const bounds = this.#boundsMs;
    let bucket = 0;
    while (bucket < bounds.length && valueMs > bounds[bucket]!) bucket++;
    this.#counts[bucket]!++;
    this.#sumMs += valueMs;
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** The family in Prometheus' text exposition format (0.0.4), cumulative buckets, ending in a newline. */
  render(): string {
    const lines = [`# HELP ${this.#name} ${this.#help}`, `# TYPE ${this.#name} histogram`];
    let cumulative = 0;
    for (let bucket = 0; bucket < this.#counts.length; bucket++) {
      cumulative += this.#counts[bucket]!;
      const le = bucket < this.#boundsMs.length ? String(this.#boundsMs[bucket]! / 1_000) : '+Inf';
      lines.push(`${this.#name}_bucket{le="${le}"} ${cumulative}`);
    }
    lines.push(`${this.#name}_sum ${this.#sumMs / 1_000}`, `${this.#name}_count ${this.#count}`);
    return `${lines.join('\n')}\n`;
  }
}
