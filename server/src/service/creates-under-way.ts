/**
 * What a JobService has under way in creating jobs: the creates themselves, which a clean stop
 * waits for before it takes back the intents of fires that never went out (a create writes its
 * jobs' first intents with their rows), and the jobs of createJobs batches that are stored but
 * not all scheduled yet, which a change waits for, so that a batch cannot hand the engine a job
 * deleted, paused or changed meanwhile.
 */
export class CreatesUnderWay {
  readonly #creating = new Set<Promise<unknown>>();
  /** Job id → the scheduling of its batch, settled either way. */
  readonly #scheduling = new Map<string, Promise<void>>();

  /** Counts `create` as under way until it ends; resolves or rejects as it does. */
  async count<T>(create: Promise<T>): Promise<T> {
    this.#creating.add(create);
    try {
      return await create;
    } finally {
      this.#creating.delete(create);
    }
  }

  /** Resolves once every create under way now has ended, however it ended. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#creating]);
  }

  /** Holds changes of the jobs `ids` until `scheduling` ends; resolves or rejects as it does. */
  async scheduling<T>(ids: readonly string[], scheduling: Promise<T>): Promise<T> {
    const settled = scheduling.then(
      () => undefined,
      () => undefined,
    );
    for (const id of ids) this.#scheduling.set(id, settled);
    try {
      return await scheduling;
    } finally {
      for (const id of ids) this.#scheduling.delete(id);
    }
  }

  /** Resolves once the job is scheduled, when a batch is still scheduling it; at once otherwise. */
  async scheduled(jobId: string): Promise<void> {
    await this.#scheduling.get(jobId);
  }
}
