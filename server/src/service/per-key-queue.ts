const ignore = (): void => {};

/**
 * Runs tasks one at a time per key, in the order they were asked for; tasks of different keys run
 * side by side. A key is forgotten once its last task has ended, so it costs nothing at rest.
 */
export class PerKeyQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Keys with a task running or waiting. */
  get size(): number {
    return this.#tails.size;
  }

  /** Runs `task` once every task asked for before with the same key has ended, however it ended. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const result = previous === undefined ? task() : previous.then(task);
    const tail = result.then(ignore, ignore);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
